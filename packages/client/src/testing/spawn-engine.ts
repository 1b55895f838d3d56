import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTmpDir, type SpawnedService, spawnService } from '@agentplane/testkit';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

export const ENGINE_TEST_KEY = 'sk-client-tests-0123456789';

/**
 * The real engine (apps/engine/src/main.ts) as a child process on port 0, keyless (the built-in
 * mock model), with its brain in a temp dir. Packages never import apps: it is spawned, as a
 * product would reach it.
 */
export async function spawnEngine(): Promise<{ engine: SpawnedService; close(): Promise<void> }> {
  const tmp = await createTmpDir('client-engine-');
  try {
    const engine = await spawnService({
      entry: join(repoRoot, 'apps/engine/src/main.ts'),
      env: {
        SQLITE_DB_PATH: join(tmp.path, 'brain.sqlite'),
        CATALOG_DIR: join(repoRoot, 'catalog'),
        GATEWAY_CONFIG_PATH: join(tmp.path, 'gateway.yaml'),
        ENGINE_KEY_HASH: createHash('sha256').update(ENGINE_TEST_KEY).digest('hex'),
        LLM_BASE_URL: '',
        LLM_API_KEY: '',
        OPENAI_API_KEY: '',
        ANTHROPIC_API_KEY: '',
        GEMINI_API_KEY: '',
      },
      timeoutMs: 30_000,
    });
    return {
      engine,
      async close() {
        await engine.stop('SIGTERM');
        await tmp.remove();
      },
    };
  } catch (error) {
    await tmp.remove();
    throw error;
  }
}
