import { createHash } from 'node:crypto';
import { openSync } from 'node:fs';
import { rename, stat } from 'node:fs/promises';
import { constants } from 'node:os';
import { join } from 'node:path';
import type { EngineSpec } from './driver.js';

// The process driver's pure parts: what an engine's process gets (environment, log file) and
// how its ids, exits and signals are read.

export const SAFE_ENV = ['PATH', 'HOME', 'TMPDIR', 'TZ', 'LANG', 'LC_ALL'] as const;
// Also keeps ids path-safe: an engine id names a directory.
const ENGINE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export const isSafeId = (name: string): boolean => ENGINE_ID.test(name) && !name.includes('..');

export function checkId(engineId: string): void {
  if (!isSafeId(engineId)) {
    throw new Error(`engine id ${JSON.stringify(engineId)} is not a safe directory name`);
  }
}

export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number | undefined {
  if (code !== null) {
    return code;
  }
  // The shell convention Docker reports too: 128 + signal number (SIGKILL → 137).
  return signal === null ? undefined : 128 + constants.signals[signal];
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Signals the engine's process group (it leads one: spawned detached), else just the pid. */
export function signal(pid: number, sig: NodeJS.Signals): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, sig);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') {
        throw err;
      }
    }
  }
}

/** What identifies a spawn: a change (key, port, env, command) means a new process. */
export function specHashOf(spec: EngineSpec, command: readonly string[]): string {
  const env = Object.entries(spec.env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const fingerprint = JSON.stringify([spec.hostPort, spec.keyHash, env, command]);
  return createHash('sha256').update(fingerprint).digest('hex').slice(0, 32);
}

/** The engine's environment: the safe base, then spec.env, then the contract's variables. */
export function engineEnv(opts: {
  base: Readonly<Record<string, string | undefined>>;
  spec: EngineSpec;
  dir: string;
  catalogDir: string;
}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...opts.base, ...opts.spec.env })) {
    if (value !== undefined) {
      env[key] = value;
    }
  }
  // The contract last, so nothing passed through overrides it. NODE_ENV=production: a
  // development engine would leave /execute and /rpc open when the key hash is missing.
  return Object.assign(env, {
    NODE_ENV: 'production',
    ENGINE_KEY_HASH: opts.spec.keyHash,
    SQLITE_DB_PATH: join(opts.dir, 'brain.sqlite'),
    CATALOG_DIR: opts.catalogDir,
    PORT: String(opts.spec.hostPort),
    HOST: '127.0.0.1',
    // Per engine and absent by default (the engine then uses its built-in gateway defaults);
    // an operator may drop a file here and `reload` it.
    GATEWAY_CONFIG_PATH: join(opts.dir, 'gateway.yaml'),
  });
}

/** engine.log in append mode, rotated to engine.log.1 first once over `maxBytes`. */
export async function openLog(dir: string, maxBytes: number): Promise<number> {
  const path = join(dir, 'engine.log');
  const size = await stat(path).then(
    (s) => s.size,
    () => 0,
  );
  if (size > maxBytes) {
    await rename(path, `${path}.1`);
  }
  return openSync(path, 'a');
}
