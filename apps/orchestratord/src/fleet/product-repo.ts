import type { Product, ProductPolicy } from '@agentplane/contracts';
import { type Kysely, type Selectable, sql } from 'kysely';
import { createBatcher } from '../db/batch.js';
import { precompile } from '../db/precompiled.js';
import { type Database, DB_SCHEMA, type ProductsTable } from '../db/schema.js';
import type { EngineRow } from './engine-repo.js';

export type ProductRow = Selectable<ProductsTable>;

export function toProduct(row: ProductRow): Product {
  return {
    product_id: row.id,
    slug: row.slug,
    display_name: row.display_name,
    policy: row.policy,
    created_at: row.created_at.toISOString(),
  };
}

// Every column of an engine row: a Record, so a column added to the schema fails to compile here.
const ENGINE_COLUMN_SET: Record<keyof EngineRow, true> = {
  id: true,
  product_id: true,
  user_id: true,
  status: true,
  pool: true,
  host_port: true,
  image: true,
  key_hash: true,
  key_enc: true,
  prev_key_hash: true,
  prev_key_expires_at: true,
  created_at: true,
  updated_at: true,
  last_health_at: true,
  last_admit_at: true,
  health_failures: true,
  restart_count: true,
  restart_attempts: true,
  next_restart_at: true,
  boot_ms: true,
};
// Aliased: both tables have id, key_hash and created_at.
const ENGINE_ALIASES = (Object.keys(ENGINE_COLUMN_SET) as (keyof EngineRow)[]).map(
  (c) => [c, `e_${c}` as const] as const,
);
const ENGINE_SELECT = sql.join(
  ENGINE_ALIASES.map(([c, alias]) => sql`e.${sql.ref(c)} as ${sql.ref(alias)}`),
);

/** A product row with its left-joined engine's columns, all null when the user has none. */
type JoinedRow = ProductRow & { [C in keyof EngineRow as `e_${C}`]: EngineRow[C] | null };

/** A product and its user's engine (undefined: the user has none), read in one round trip. */
export interface ProductWithEngine {
  product: ProductRow;
  engine: EngineRow | undefined;
}

export function createProductRepo(db: Kysely<Database>) {
  const byKeyHash = precompile(db, ['keyHash'], (s) =>
    db.selectFrom('products').selectAll().where('key_hash', '=', s.keyHash),
  );
  // One query for every key check of an event-loop turn: (key hash, user) pairs in, by ordinality.
  const withEngines = createBatcher(
    async (pairs: { keyHash: string; userId: string }[]): Promise<(JoinedRow | undefined)[]> => {
      const { rows } = await sql<JoinedRow & { i: string }>`
        select q.i, p.*, ${ENGINE_SELECT}
        from unnest(${pairs.map((x) => x.keyHash)}::text[], ${pairs.map((x) => x.userId)}::text[])
          with ordinality as q(key_hash, user_id, i)
        join ${sql.table(`${DB_SCHEMA}.products`)} p on p.key_hash = q.key_hash
        left join ${sql.table(`${DB_SCHEMA}.engines`)} e
          on e.product_id = p.id and e.user_id = q.user_id`.execute(db);
      const byPair: (JoinedRow | undefined)[] = new Array(pairs.length);
      for (const row of rows) {
        byPair[Number(row.i) - 1] = row;
      }
      return byPair;
    },
  );
  return {
    /** undefined when the slug is taken. */
    async insert(product: {
      id: string;
      slug: string;
      display_name: string;
      key_hash: string;
      policy: ProductPolicy;
    }): Promise<ProductRow | undefined> {
      return db
        .insertInto('products')
        .values({ ...product, policy: JSON.stringify(product.policy) })
        .onConflict((oc) => oc.column('slug').doNothing())
        .returningAll()
        .executeTakeFirst();
    },

    async byId(productId: string): Promise<ProductRow | undefined> {
      return db.selectFrom('products').selectAll().where('id', '=', productId).executeTakeFirst();
    },

    async byKeyHash(keyHash: string): Promise<ProductRow | undefined> {
      return (await byKeyHash({ keyHash }))[0];
    },

    /**
     * byKeyHash and the engine of `userId` in that product, as ONE query (the admit path), shared
     * with the other lookups of the same event-loop turn.
     */
    async byKeyHashWithEngine(
      keyHash: string,
      userId: string,
    ): Promise<ProductWithEngine | undefined> {
      const row = await withEngines({ keyHash, userId });
      if (row === undefined) {
        return undefined;
      }
      const product: ProductRow = {
        id: row.id,
        slug: row.slug,
        display_name: row.display_name,
        key_hash: row.key_hash,
        policy: row.policy,
        created_at: row.created_at,
      };
      if (row.e_id === null) {
        return { product, engine: undefined };
      }
      const engine: Record<string, unknown> = {};
      for (const [column, alias] of ENGINE_ALIASES) {
        engine[column] = row[alias];
      }
      return { product, engine: engine as EngineRow };
    },

    async setPolicy(productId: string, policy: ProductPolicy): Promise<ProductRow | undefined> {
      return db
        .updateTable('products')
        .set({ policy: JSON.stringify(policy) })
        .where('id', '=', productId)
        .returningAll()
        .executeTakeFirst();
    },
  };
}
export type ProductRepo = ReturnType<typeof createProductRepo>;
