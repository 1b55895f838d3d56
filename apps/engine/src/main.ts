import { existsSync } from 'node:fs';
import { enableCompileCache } from 'node:module';
import { fileURLToPath } from 'node:url';

// Engine boot (issue 14): V8's compiled code for the bundle, written by the build's warm-up run
// (build/warm-compile-cache.mjs) beside dist/main.js. Compiling the bundle was ~15% of boot CPU;
// a cache hit skips it. Enabled before the rest of the engine is imported, so that import is
// served from the cache. Absent (tsx dev, or a node whose version does not match) → compiled as
// before. `portable`: keys are relative to the folder, so the image's /app hits the cache too.
const cacheDir = fileURLToPath(new URL('./compile-cache/', import.meta.url));
if (existsSync(cacheDir)) {
  enableCompileCache({ directory: cacheDir, portable: true });
}

const { runEngine } = await import('./run-engine.js');
await runEngine(process.env);
