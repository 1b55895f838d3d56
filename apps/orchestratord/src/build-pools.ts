import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '@agentplane/http-kit';
import { type Config, driverKind } from './config.js';
import { createProcessDriver } from './drivers/process-driver.js';
import type { Pool } from './fleet/lifecycle.js';

/**
 * The workspace's engine: its bundle when built (`pnpm build`), else — `pnpm dev` on a fresh
 * checkout — its sources through tsx, so the zero-config path needs no build step.
 */
function defaultEngineCommand(): string[] {
  const engineDir = fileURLToPath(new URL('../../engine/', import.meta.url));
  const bundle = join(engineDir, 'dist', 'main.js');
  if (existsSync(bundle)) {
    return [process.execPath, ...startFlags(join(engineDir, 'package.json')), bundle];
  }
  try {
    return [
      process.execPath,
      '--import',
      import.meta.resolve('tsx'),
      join(engineDir, 'src', 'main.ts'),
    ];
  } catch {
    return [process.execPath, bundle];
  }
}

/** The node flags of an app's `start` script (`node --flag … dist/main.js`): its heap sizing. */
function startFlags(packageJson: string): string[] {
  const start = (JSON.parse(readFileSync(packageJson, 'utf8')) as { scripts?: { start?: string } })
    .scripts?.start;
  return (start ?? '').split(/\s+/).filter((arg) => arg.startsWith('--'));
}

/**
 * The pools engines are placed on, chosen once at start: one process pool, or one docker pool
 * per container host (DOCKER_HOST as `default`, plus ORCH_POOLS).
 */
export async function buildPools(config: Config, logger: Logger): Promise<Pool[]> {
  if (driverKind(config) === 'process') {
    return [
      {
        name: 'local',
        driver: createProcessDriver({
          dataDir: join(config.ORCH_DATA_DIR, 'engines'),
          command: config.ORCH_ENGINE_COMMAND ?? defaultEngineCommand(),
          catalogDir: config.ORCH_CATALOG_DIR,
          logger,
          stopGraceS: config.ORCH_STOP_GRACE_S,
        }),
      },
    ];
  }
  const hosts = [
    ...(config.DOCKER_HOST === undefined
      ? []
      : [{ name: 'default', dockerHost: config.DOCKER_HOST }]),
    ...(config.ORCH_POOLS ?? []),
  ];
  // Loaded only for the docker driver: dockerode (and ssh2 under it) cost ~10 MB of a process
  // that runs engines as child processes.
  const [{ default: Docker }, { dockerOptionsFromHost }, { createDockerDriver }] =
    await Promise.all([
      import('dockerode'),
      import('@agentplane/backends/docker-host'),
      import('./drivers/docker-driver.js'),
    ]);
  return hosts.map(({ name, dockerHost }) => ({
    name,
    driver: createDockerDriver({
      docker: new Docker(dockerOptionsFromHost(dockerHost)),
      network: config.ORCH_ENGINE_NETWORK,
      catalogDir: config.ORCH_CATALOG_DIR,
      cpus: config.ORCH_ENGINE_CPUS,
      memoryMb: config.ORCH_ENGINE_MEMORY_MB,
      logger,
      stopGraceS: config.ORCH_STOP_GRACE_S,
      fleet: config.ORCH_FLEET_ID,
    }),
  }));
}
