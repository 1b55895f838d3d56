import { test as baseTest } from 'vitest';
import { type DbVariant, defaultDbVariant } from './db-variants.js';
import { probeDocker } from './docker.js';
import { startFakeOpenAI } from './fake-openai/server.js';
import type { FakeOpenAIOptions } from './fake-openai/types.js';
import { EMPTY_SCHEMA, type PgSchema } from './pg-schema.js';
import { createRedisTestHandle, probeRedis } from './redis.js';
import { requireService } from './require-service.js';
import { createTmpDir } from './tmp.js';

export interface TestKitOptions {
  /** Migrations for the `pg` fixture's template; default: none. */
  pg?: PgSchema;
  /**
   * Which database `pg` uses; default: the server when DATABASE_URL is set (or CI=true),
   * else PGlite. Pass one of `dbVariants()` to run a suite over each.
   */
  dbVariant?: DbVariant;
  fakeOpenAI?: FakeOpenAIOptions;
  /** Where DATABASE_URL, REDIS_URL, DOCKER_HOST and CI are read (at fixture time); default process.env. */
  env?: NodeJS.ProcessEnv;
}

/**
 * A vitest `test` with the kit's fixtures. Each is created only when a test names it:
 *
 * - `pg` — a database per test file (`t_<random>` copied from the migrated `tmpl_<hash>`, or
 *   a PGlite copy), dropped after the file; tests in one file share it.
 * - `redis` — `{ client, prefix, key() }`; one client per worker, a fresh prefix per test,
 *   whose keys are deleted after the test.
 * - `docker` — a pinged dockerode handle from DOCKER_HOST, one per worker.
 * - `tmpDir` — a fresh directory per test, removed after it.
 * - `openai` — a fake OpenAI-compatible server per test.
 *
 * A missing or unreachable service skips the test with the reason on stderr, and fails it
 * under CI=true (see `requireService`). The `*Probe` fixtures are the shared halves; tests
 * normally do not use them.
 *
 * Call it at the top level of a test file (or in a shared helper module): vitest refuses file-
 * and worker-scoped fixtures defined inside a `describe` block.
 *
 * ```ts
 * const test = createTestKit({ pg: { key: ['001_init'], migrate } });
 * test('stores an engine', async ({ pg, redis }) => { ... });
 * ```
 */
export function createTestKit(options: TestKitOptions = {}) {
  const env = (): NodeJS.ProcessEnv => options.env ?? process.env;
  return (
    baseTest
      // biome-ignore lint/correctness/noEmptyPattern: vitest reads the first parameter as a destructuring pattern to find dependencies; it rejects anything else
      .extend('pgProbe', { scope: 'file' }, async ({}, { onCleanup }) => {
        const variant = options.dbVariant ?? defaultDbVariant(env());
        const probe = await variant.open(options.pg ?? EMPTY_SCHEMA);
        if (probe.available) {
          onCleanup(() => probe.value.close());
        }
        return probe;
      })
      // biome-ignore lint/correctness/noEmptyPattern: vitest reads the first parameter as a destructuring pattern to find dependencies; it rejects anything else
      .extend('redisProbe', { scope: 'worker' }, async ({}, { onCleanup }) => {
        const probe = await probeRedis(env().REDIS_URL);
        if (probe.available) {
          onCleanup(async () => {
            await probe.value.quit();
          });
        }
        return probe;
      })
      .extend('dockerProbe', { scope: 'worker' }, async () => probeDocker(env().DOCKER_HOST))
      .extend('pg', async ({ pgProbe, skip }) => requireService(pgProbe, { skip }, env()))
      .extend('redis', async ({ redisProbe, skip }, { onCleanup }) => {
        const handle = createRedisTestHandle(requireService(redisProbe, { skip }, env()));
        onCleanup(async () => {
          await handle.cleanup();
        });
        return handle;
      })
      .extend('docker', async ({ dockerProbe, skip }) =>
        requireService(dockerProbe, { skip }, env()),
      )
      // biome-ignore lint/correctness/noEmptyPattern: vitest reads the first parameter as a destructuring pattern to find dependencies; it rejects anything else
      .extend('tmpDir', async ({}, { onCleanup }) => {
        const dir = await createTmpDir();
        onCleanup(dir.remove);
        return dir.path;
      })
      // biome-ignore lint/correctness/noEmptyPattern: vitest reads the first parameter as a destructuring pattern to find dependencies; it rejects anything else
      .extend('openai', async ({}, { onCleanup }) => {
        const server = await startFakeOpenAI(options.fakeOpenAI);
        onCleanup(server.close);
        return server;
      })
  );
}

/** The kit with no migrations: `pg` is an empty database. */
export const test = createTestKit();
