import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export interface SpawnedService {
  child: ChildProcess;
  /** The port from the service's `listening` log line. */
  port: number;
  baseUrl: string;
  /** Every stderr line so far (NDJSON logs and anything else). */
  stderr: string[];
  /** Everything written on stdout so far (a service's logs go to stderr: this stays empty). */
  stdout(): string;
  /** Sends `signal` (default SIGTERM) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface SpawnServiceOptions {
  /** A TypeScript entry (run through tsx's loader) or a built `.js` one. */
  entry: string;
  /** Merged over process.env; `undefined` leaves a variable out (e.g. CI, a secret). */
  env?: Record<string, string | undefined>;
  cwd?: string;
  timeoutMs?: number;
}

/**
 * node's argv for an entry. tsx is resolved from this package, so an entry outside the workspace
 * (a scaffold in a temp dir) runs too.
 */
function nodeArgs(entry: string): string[] {
  return entry.endsWith('.ts') ? ['--import', import.meta.resolve('tsx'), entry] : [entry];
}

function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve(child.exitCode);
  }
  return once(child, 'exit').then(([code]) => code as number | null);
}

/**
 * Starts a service's real `main.ts` as a child process on port 0 and waits for its `listening`
 * log line. Rejects with the collected stderr when it exits or times out first.
 */
export async function spawnService(opts: SpawnServiceOptions): Promise<SpawnedService> {
  const child = spawn(process.execPath, nodeArgs(opts.entry), {
    cwd: opts.cwd,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  const stderr: string[] = [];
  const lines = createInterface({ input: child.stderr as NodeJS.ReadableStream });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`service did not listen in time:\n${stderr.join('\n')}`));
    }, opts.timeoutMs ?? 20_000);
    lines.on('line', (line) => {
      stderr.push(line);
      try {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === 'listening' && typeof entry.port === 'number') {
          clearTimeout(timer);
          resolve(entry.port);
        }
      } catch {
        // not a log line
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`service exited (${code}) before listening:\n${stderr.join('\n')}`));
    });
  });
  return {
    child,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    stderr,
    stdout: () => stdout,
    async stop(signal = 'SIGTERM') {
      child.kill(signal);
      return exitCode(child);
    },
  };
}

/** Runs an entry to completion (for start-up failures); resolves with its exit code and stderr. */
export async function runToExit(
  opts: SpawnServiceOptions,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, nodeArgs(opts.entry), {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const code = await exitCode(child);
  return { code, stderr };
}
