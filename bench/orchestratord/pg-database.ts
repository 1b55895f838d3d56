import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A fresh database on DATABASE_URL's server; the fleet that uses it drops it on close. */
export interface PgDatabase {
  url: string;
  close(): Promise<void>;
}

/**
 * A fresh, empty database for one orchestratord, which migrates it itself; undefined when
 * DATABASE_URL is unset or unreachable. testkit's postgresVariant does this for tests, but
 * testkit's index module needs a running vitest.
 */
export async function openPgDatabase(): Promise<PgDatabase | undefined> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    return undefined;
  }
  const name = `bench_orch_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  try {
    await admin(`CREATE DATABASE ${name}`);
  } catch {
    return undefined;
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    close: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
