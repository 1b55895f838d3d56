import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogDir, ephemeralPort } from '@agentplane/orchestratord/driver-test-support';
import { healthStatus } from '@agentplane/testkit/wait-healthy';
import { startFlags } from '../harness.js';
import { sleep } from './common.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));

interface OrchEntry {
  args: string[];
  runner: string;
}
let orchEntry: Promise<OrchEntry> | undefined;

/** orchestratord's real main as production runs it: its bundle (`pnpm build`), built once. */
function orchestratordEntry(): Promise<OrchEntry> {
  orchEntry ??= Promise.resolve().then(() => {
    execFileSync(process.execPath, ['../../scripts/build-app.mjs'], {
      cwd: join(repo, 'apps/orchestratord'),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    return {
      args: [...startFlags('orchestratord'), join(repo, 'apps/orchestratord/dist/main.js')],
      runner: 'bundle (pnpm build)',
    };
  });
  return orchEntry;
}

/** A running orchestratord process. */
export interface OrchestratordProcess {
  pid: number;
  url: string;
  /** How it runs (the bundle), echoed in every result. */
  runner: string;
  stop(): Promise<void>;
}

/**
 * orchestratord's real main as its own process (its own event loop, so the load generator never
 * shares it), on `env` over the basics; resolves once GET /health answers 200. Used only by
 * `startFleet`, which adds the driver, data dir, database and product.
 */
export async function spawnOrchestratord(
  env: Record<string, string>,
): Promise<OrchestratordProcess> {
  const entry = await orchestratordEntry();
  const port = await ephemeralPort();
  const child: ChildProcess = spawn(process.execPath, entry.args, {
    cwd: repo,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      HOST: '127.0.0.1',
      ORCH_MASTER_KEY: randomBytes(32).toString('hex'),
      ORCH_IDLE_S: '0',
      // The default is found relative to main.js, which a bench-built bundle moves to tmp.
      ORCH_CATALOG_DIR: catalogDir,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // Held until it is up (a failed start is reported by its error line, not a minified dump).
  let startup = '';
  const hold = (chunk: Buffer) => {
    startup = (startup + chunk.toString('utf8')).slice(-20_000);
  };
  child.stderr?.on('data', hold);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while ((await healthStatus(url)) !== 200) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      const why = startup.split('\n').find((line) => /^\w*Error\b/.test(line)) ?? 'no error line';
      throw new Error(`orchestratord did not start (exit ${child.exitCode}): ${why}`);
    }
    await sleep(20);
  }
  child.stderr?.off('data', hold);
  child.stderr?.pipe(process.stderr);
  return {
    pid: child.pid as number,
    url,
    runner: entry.runner,
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) {
        await once(child, 'exit');
      }
    },
  };
}
