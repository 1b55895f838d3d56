import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

// The image runs the engine as this user (Dockerfile `USER 1000:1000`).
const IMAGE_UID = 1000;
const WARM_TIMEOUT_MS = 30_000;

/**
 * Boots the bundle once (a throw-away brain, the repository's catalog), asks /health and stops
 * it, so node writes the compile cache of everything a boot runs into `dist/compile-cache`
 * (main.ts enables it). One boot, not a replay of requests: what /execute compiles later is the
 * same either way, but boot is what provisioning and wakes wait for.
 *
 * node keeps the cache in a folder per node version, V8 flags and **user id**: the build's folder
 * is copied for the image's user, who could not write one of its own in the read-only /app.
 * A failed warm-up leaves no cache (the engine then compiles as before) and only warns: the cache
 * is an optimisation, never a reason for a build to fail.
 */
export async function warmCompileCache({ appDir, catalogDir }) {
  const cacheDir = join(appDir, 'dist', 'compile-cache');
  // Entries of earlier bundles would only take space: every entry is keyed by its file's content.
  rmSync(cacheDir, { recursive: true, force: true });
  mkdirSync(cacheDir, { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), 'engine-warm-'));
  try {
    await bootOnce(join(appDir, 'dist', 'main.js'), {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      NODE_ENV: 'production',
      SQLITE_DB_PATH: join(scratch, 'brain.sqlite'),
      CATALOG_DIR: resolve(catalogDir),
      GATEWAY_CONFIG_PATH: join(scratch, 'gateway.yaml'),
      ENGINE_KEY_HASH: randomBytes(32).toString('hex'),
    });
    const [tagged] = readdirSync(cacheDir);
    const uid = process.getuid?.();
    if (tagged !== undefined && uid !== undefined && uid !== IMAGE_UID) {
      const forImage = tagged.replace(new RegExp(`-${uid}$`), `-${IMAGE_UID}`);
      cpSync(join(cacheDir, tagged), join(cacheDir, forImage), { recursive: true });
    }
    // node writes entries 0600; the image's files belong to root and its user must read them.
    for (const entry of readdirSync(cacheDir, { recursive: true, withFileTypes: true })) {
      chmodSync(join(entry.parentPath, entry.name), entry.isDirectory() ? 0o755 : 0o644);
    }
  } catch (err) {
    rmSync(cacheDir, { recursive: true, force: true });
    process.stderr.write(`engine build: no compile cache (warm-up failed: ${err.message})\n`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function bootOnce(main, env) {
  // Only this environment: the builder's LLM keys or NODE_OPTIONS must not change the boot.
  const child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const timer = setTimeout(() => child.kill('SIGKILL'), WARM_TIMEOUT_MS);
  try {
    const port = await listeningPort(child);
    // The shutdown lines still come: drained, so a full pipe never holds the engine up.
    child.stderr.resume();
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    await res.arrayBuffer();
    child.kill('SIGTERM');
    // node writes the cache when the process exits.
    if (child.exitCode === null && child.signalCode === null) {
      await once(child, 'exit');
    }
    if (child.exitCode !== 0) {
      throw new Error(`the engine exited with ${child.exitCode ?? child.signalCode}`);
    }
  } finally {
    clearTimeout(timer);
    child.kill('SIGKILL');
  }
}

/** The port of the engine's `listening` log line (pino JSON on stderr). */
async function listeningPort(child) {
  for await (const line of createInterface({ input: child.stderr })) {
    const entry = line.startsWith('{') ? JSON.parse(line) : undefined;
    if (entry?.msg === 'listening') {
      return entry.port;
    }
  }
  throw new Error(`the engine exited before listening (${child.exitCode ?? child.signalCode})`);
}
