import { createPgPool } from '@agentplane/backends/postgres';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { type AnyKysely, type PgSchema, type PgTestDatabase, schemaHash } from './pg-schema.js';
import { randomSuffix } from './random-suffix.js';

// SQLSTATE 55006 object_in_use: "source database is being accessed by other users".
const OBJECT_IN_USE = '55006';
const CONNECT_TIMEOUT_MS = 3000;

/** `tmpl_<hash>` for a schema key. */
export function pgTemplateName(key: PgSchema['key']): string {
  return `tmpl_${schemaHash(key)}`;
}

/** The same server and credentials as `url`, pointed at another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function createServerKysely(url: string): AnyKysely {
  // A test that ends a session on purpose (failover tests) sees the error in its query.
  const pool = createPgPool({ connectionString: url, max: 6 }, () => {});
  return new Kysely({ dialect: new PostgresDialect({ pool }) });
}

async function withAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    connectionString: adminUrl,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Rejects with the driver's error when the server cannot be reached, so a fixture can turn
 * that into a skip (or a CI failure) instead of a confusing migration error.
 */
export async function pingPostgres(adminUrl: string): Promise<void> {
  await withAdmin(adminUrl, async (client) => {
    await client.query('SELECT 1');
  });
}

async function buildTemplate(
  client: pg.Client,
  adminUrl: string,
  schema: PgSchema,
  template: string,
) {
  // Built under another name and renamed at the end: a worker that died mid-migration leaves
  // only `<tmpl>_build` behind, never a half-migrated template that later runs would trust.
  const building = `${template}_build`;
  await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(building)} WITH (FORCE)`);
  await client.query(`CREATE DATABASE ${quoteIdent(building)}`);
  const db = createServerKysely(withDatabase(adminUrl, building));
  try {
    await schema.migrate(db);
  } finally {
    await db.destroy();
  }
  await client.query(`ALTER DATABASE ${quoteIdent(building)} RENAME TO ${quoteIdent(template)}`);
}

/**
 * Creates and migrates `tmpl_<hash>` if it does not exist yet. A session advisory lock keyed
 * on the template name serialises workers and test files racing to build the same template;
 * the ones that wait find it built and return at once.
 */
export async function ensurePgTemplate(adminUrl: string, schema: PgSchema): Promise<string> {
  const template = pgTemplateName(schema.key);
  await withAdmin(adminUrl, async (client) => {
    const lockKey = `agentplane-testkit:${template}`;
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (found.rowCount === 0) {
        await buildTemplate(client, adminUrl, schema, template);
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]);
    }
  });
  return template;
}

// Once per worker (process) and template: later files in the same worker skip even the lock.
const templates = new Map<string, Promise<string>>();

function ensureTemplateOnce(adminUrl: string, schema: PgSchema): Promise<string> {
  const cacheKey = `${adminUrl}|${pgTemplateName(schema.key)}`;
  let pending = templates.get(cacheKey);
  if (!pending) {
    pending = ensurePgTemplate(adminUrl, schema);
    templates.set(cacheKey, pending);
    pending.catch(() => templates.delete(cacheKey));
  }
  return pending;
}

async function createFromTemplate(client: pg.Client, name: string, template: string) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await client.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)}`);
      return;
    } catch (error) {
      // Another session can be connected to the template for a moment (e.g. a person
      // inspecting it with psql); retry briefly rather than fail the file.
      const code = (error as { code?: string }).code;
      if (code !== OBJECT_IN_USE || attempt >= 20) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Drops a database, first terminating whatever is still connected to it. */
export async function dropPgDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdmin(adminUrl, async (client) => {
    await client.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  });
}

/**
 * A fresh database `t_<random>` copied from the schema's migrated template on the server at
 * `adminUrl` (any database there the user may connect to, e.g. DATABASE_URL).
 *
 * ```ts
 * const pg = await createPostgresTestDatabase(process.env.DATABASE_URL, { key: 'svc', migrate });
 * try { await pg.db.selectFrom('engines').selectAll().execute(); } finally { await pg.close(); }
 * ```
 */
export async function createPostgresTestDatabase(
  adminUrl: string,
  schema: PgSchema,
): Promise<PgTestDatabase> {
  const template = await ensureTemplateOnce(adminUrl, schema);
  const name = `t_${randomSuffix()}`;
  await withAdmin(adminUrl, (client) => createFromTemplate(client, name, template));
  const url = withDatabase(adminUrl, name);
  const db = createServerKysely(url);
  let closed = false;
  return {
    variant: 'postgres',
    name,
    url,
    db,
    async close() {
      if (closed) {
        return;
      }
      closed = true;
      await db.destroy();
      await dropPgDatabase(adminUrl, name);
    },
  };
}
