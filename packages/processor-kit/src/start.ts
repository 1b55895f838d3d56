import { fileURLToPath } from 'node:url';
import {
  createLogger,
  createShutdownRegistry,
  loadConfigOrExit,
  startService,
} from '@agentplane/http-kit';
import { createProcessorApp } from './app.js';
import { processorClientErrorBody } from './client-error-body.js';
import { loadProcessorConfig } from './config.js';
import { envFingerprint } from './envelopes.js';
import type { ProcessorHandler } from './handler.js';
import { loadRegistry, RegistryError } from './registry-loader.js';

export interface StartProcessorOptions {
  /** Service name for the logs, e.g. `processor-text-summarize`. */
  name: string;
  handler: ProcessorHandler;
  /** registry.yaml, usually `new URL('../registry.yaml', import.meta.url)` (src/ and dist/ alike). */
  registry: URL;
  /** PORT when unset (distinct per processor so `pnpm dev` runs them side by side). */
  defaultPort: number;
}

function loadRegistryOrExit(name: string, path: string) {
  try {
    return loadRegistry(path);
  } catch (err) {
    if (err instanceof RegistryError) {
      process.stderr.write(`${name}: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

/**
 * A processor's whole `main.ts`: parse the environment, load registry.yaml (exit 1 naming the bad
 * field), log NDJSON on stderr, serve, and drain on SIGTERM.
 */
export async function startProcessor(opts: StartProcessorOptions): Promise<void> {
  const config = loadConfigOrExit(opts.name, () =>
    loadProcessorConfig(process.env, opts.defaultPort),
  );
  const registry = loadRegistryOrExit(
    opts.name,
    config.PROCESSOR_REGISTRY ?? fileURLToPath(opts.registry),
  );
  const logger = createLogger({ name: opts.name, level: config.LOG_LEVEL });
  const shutdown = createShutdownRegistry({ logger, graceMs: config.SHUTDOWN_GRACE_MS });
  const app = createProcessorApp({
    definition: { registry, handler: opts.handler },
    config,
    logger,
  });
  logger.info({ ref: registry.ref, image_digest: config.IMAGE_DIGEST }, 'starting');
  await startService({
    app,
    logger,
    shutdown,
    port: config.PORT,
    host: config.HOST,
    clientErrorBody: processorClientErrorBody({
      env_fingerprint: envFingerprint(registry),
      image_digest: config.IMAGE_DIGEST,
    }),
  });
}
