import type { DbVariantName, PgSchema, PgTestDatabase } from './pg-schema.js';
import { createPgliteTestDatabase } from './pglite-database.js';
import { createPostgresTestDatabase, pingPostgres } from './postgres.js';
import {
  isCi,
  notSetReason,
  type ServiceProbe,
  ServiceUnavailableError,
  serviceAvailable,
  serviceUnavailable,
} from './require-service.js';

/** One way to get a test database; see {@link dbVariants}. */
export interface DbVariant {
  readonly name: DbVariantName;
  /**
   * A database for one test file, or why there is none (server unset or unreachable). Other
   * failures, such as a migration that throws, reject.
   */
  open(schema: PgSchema): Promise<ServiceProbe<PgTestDatabase>>;
}

function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return describeError(error.errors[0]);
  }
  return error instanceof Error ? error.message || error.name : String(error);
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) {
      parsed.password = '***';
    }
    return parsed.toString();
  } catch {
    return '<unparseable url>';
  }
}

/** The server variant, bound to a connection string (or to its absence). */
export function postgresVariant(databaseUrl: string | undefined): DbVariant {
  return {
    name: 'postgres',
    async open(schema) {
      if (!databaseUrl) {
        return serviceUnavailable('postgres', notSetReason('postgres'));
      }
      try {
        await pingPostgres(databaseUrl);
      } catch (error) {
        const reason = `DATABASE_URL unreachable (${redact(databaseUrl)}): ${describeError(error)}`;
        return serviceUnavailable('postgres', reason);
      }
      return serviceAvailable(await createPostgresTestDatabase(databaseUrl, schema));
    },
  };
}

/** The embedded variant: always available. */
export const pgliteVariant: DbVariant = {
  name: 'pglite',
  async open(schema) {
    return serviceAvailable(await createPgliteTestDatabase(schema));
  },
};

/**
 * The variants a repository test should run over, kysely's `DB_VARIANTS` style: `postgres`
 * when DATABASE_URL is set, and always under CI=true (where a missing server must fail, not
 * vanish from the list), then `pglite`.
 *
 * ```ts
 * describe.each(dbVariants())('engines repo on $name', (variant) => {
 *   const test = createTestKit({ pg: schema, dbVariant: variant });
 *   test('inserts', async ({ pg }) => { ... });
 * });
 * ```
 */
export function dbVariants(env: NodeJS.ProcessEnv = process.env): DbVariant[] {
  const variants: DbVariant[] = [];
  if (env.DATABASE_URL || isCi(env)) {
    variants.push(postgresVariant(env.DATABASE_URL));
  }
  variants.push(pgliteVariant);
  return variants;
}

/**
 * The default variant for a test that does not care which one it gets: the server when
 * DATABASE_URL is set, PGlite otherwise, and under CI=true the server or nothing.
 */
export function defaultDbVariant(env: NodeJS.ProcessEnv = process.env): DbVariant {
  return env.DATABASE_URL || isCi(env) ? postgresVariant(env.DATABASE_URL) : pgliteVariant;
}

/**
 * One test database outside the fixtures (e.g. in `beforeAll`), from the default variant.
 * Throws {@link ServiceUnavailableError} when the server is unset under CI or unreachable.
 */
export async function createPgTestDatabase(
  schema: PgSchema,
  env: NodeJS.ProcessEnv = process.env,
): Promise<PgTestDatabase> {
  const probe = await defaultDbVariant(env).open(schema);
  if (!probe.available) {
    throw new ServiceUnavailableError(probe.service, probe.reason);
  }
  return probe.value;
}
