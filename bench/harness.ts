import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** A server under test, run in its own process so the load generator never shares its event loop. */
export interface BenchServer {
  port: number;
  stop(): Promise<void>;
}

export async function startServer(file: string): Promise<BenchServer> {
  const path = fileURLToPath(new URL(`./servers/${file}`, import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  if (!child.stdout) {
    throw new Error('no stdout');
  }
  const lines = createInterface({ input: child.stdout });
  const [line] = (await once(lines, 'line')) as [string];
  const { port } = JSON.parse(line) as { port: number };
  return {
    port,
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) {
        await once(child, 'exit');
      }
    },
  };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

export const round = (x: number, digits = 2): number => Number(x.toFixed(digits));
