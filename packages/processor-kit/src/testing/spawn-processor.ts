import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/** A processor under test: where it listens, what it printed, and how to stop it. */
export interface StartedProcessor {
  baseUrl: string;
  /** Everything written on stdout so far (must stay empty: logs go to stderr). */
  stdout(): string;
  /** stderr lines so far (the NDJSON log). */
  stderr(): readonly string[];
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

export interface SpawnProcessorOptions {
  /** The processor's `src/main.ts` (run through tsx) or a built `dist/main.js`. */
  entry: string;
  /** Merged over process.env; `undefined` removes a variable (e.g. CI, a secret). */
  env?: Record<string, string | undefined>;
  cwd?: string;
  timeoutMs?: number;
}

function childEnv(overrides: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', LOG_LEVEL: 'info' };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) {
      delete env[key];
    } else {
      env[key] = value;
    }
  }
  return env;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve(child.exitCode);
  }
  return once(child, 'exit').then(([code]) => code as number | null);
}

/**
 * Starts a processor as a real child process on port 0, capturing stdout and stderr, and waits
 * for its `listening` log line. tsx is resolved from this package, so an entry outside the
 * workspace (a scaffold in a temp dir) runs too.
 */
export async function spawnProcessor(opts: SpawnProcessorOptions): Promise<StartedProcessor> {
  const args = opts.entry.endsWith('.ts')
    ? ['--import', import.meta.resolve('tsx'), opts.entry]
    : [opts.entry];
  const child = spawn(process.execPath, args, {
    cwd: opts.cwd,
    env: childEnv(opts.env ?? {}),
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
      reject(new Error(`processor did not listen in time:\n${stderr.join('\n')}`));
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
      reject(new Error(`processor exited (${code}) before listening:\n${stderr.join('\n')}`));
    });
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    stdout: () => stdout,
    stderr: () => stderr,
    async stop() {
      child.kill('SIGTERM');
      return exited(child);
    },
  };
}
