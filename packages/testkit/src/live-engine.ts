import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { NO_LLM_KEYS } from './no-llm-keys.js';
import { type SpawnedService, spawnService } from './spawn-service.js';
import { createTmpDir } from './tmp.js';
import { WORKSPACE_ROOT } from './workspace-root.js';

export interface LiveEngineOptions {
  /** The key callers send as `X-Engine-Key`; the engine is given only its sha256. */
  key: string;
  /** Prefix of the temp dir that holds the brain and the gateway config. */
  tmpPrefix?: string;
  /** More variables, over the kit's (e.g. BODY_LIMIT_BYTES). */
  env?: Record<string, string | undefined>;
  /** How long it may take to listen; default 60 s. */
  timeoutMs?: number;
}

export interface LiveEngine {
  service: SpawnedService;
  /** The engine's SQLite brain (SQLITE_DB_PATH), to read its tables. */
  brainPath: string;
  /** Stops the engine (SIGTERM) and removes its temp dir. */
  close(): Promise<void>;
}

/**
 * The real engine (apps/engine/src/main.ts through tsx) as a child process on port 0, keyless
 * (the built-in mock model), with its brain and gateway config in a fresh temp dir. Resolves
 * once it logs `listening`; a caller that needs its stores open polls `/health` itself.
 *
 * ```ts
 * const engine = await startLiveEngine({ key: 'sk-test-0123456789' });
 * try { await fetch(`${engine.service.baseUrl}/health`); } finally { await engine.close(); }
 * ```
 */
export async function startLiveEngine(opts: LiveEngineOptions): Promise<LiveEngine> {
  const tmp = await createTmpDir(opts.tmpPrefix ?? 'live-engine-');
  const brainPath = join(tmp.path, 'brain.sqlite');
  try {
    const service = await spawnService({
      entry: join(WORKSPACE_ROOT, 'apps/engine/src/main.ts'),
      env: {
        ...NO_LLM_KEYS,
        NODE_ENV: 'test',
        SQLITE_DB_PATH: brainPath,
        CATALOG_DIR: join(WORKSPACE_ROOT, 'catalog'),
        GATEWAY_CONFIG_PATH: join(tmp.path, 'gateway.yaml'),
        ENGINE_KEY_HASH: createHash('sha256').update(opts.key).digest('hex'),
        ...opts.env,
      },
      timeoutMs: opts.timeoutMs ?? 60_000,
    });
    return {
      service,
      brainPath,
      async close() {
        await service.stop('SIGTERM');
        await tmp.remove();
      },
    };
  } catch (error) {
    await tmp.remove();
    throw error;
  }
}
