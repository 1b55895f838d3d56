import type { EngineStatus } from '@agentplane/contracts';
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { precompile } from '../db/precompiled.js';
import { type Database, type EnginesTable, WARM_PRODUCT_ID } from '../db/schema.js';
import { engineCounts } from './engine-counts.js';

export type EngineRow = Selectable<EnginesTable>;
export type EnginePatch = Partial<Omit<EngineRow, 'id' | 'status'>>;

export interface NewEngine {
  id: string;
  product_id: string;
  user_id: string;
  pool: string;
  host_port: number;
  image: string;
  key_hash: string;
  key_enc: string;
}

/** Which unique constraint an insert broke, if any (Postgres and PGlite both report 23505). */
export function uniqueViolation(error: unknown): 'user' | 'port' | 'other' | undefined {
  const e = error as { code?: string; constraint?: string; message?: string } | undefined;
  if (e?.code !== '23505') {
    return undefined;
  }
  const where = `${e.constraint ?? ''} ${e.message ?? ''}`;
  if (where.includes('engines_product_user')) {
    return 'user';
  }
  if (where.includes('engines_pool_port')) {
    return 'port';
  }
  return 'other';
}

/**
 * What decides a provision, under a lock on the product row (so concurrent provisions, on any
 * replica, see each other): a user with an engine → 'exists' (a 409 even when the product is
 * also at its quota), a product at max_engines → 'quota'.
 */
async function admissionCheck(
  trx: Transaction<Database>,
  productId: string,
  userId: string,
  maxEngines: number | undefined,
): Promise<'quota' | 'exists' | undefined> {
  await trx.selectFrom('products').select('id').where('id', '=', productId).forUpdate().execute();
  const existing = await trx
    .selectFrom('engines')
    .select('id')
    .where('product_id', '=', productId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (existing !== undefined) {
    return 'exists';
  }
  if (maxEngines !== undefined) {
    const { n } = await trx
      .selectFrom('engines')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('product_id', '=', productId)
      .executeTakeFirstOrThrow();
    if (Number(n) >= maxEngines) {
      return 'quota';
    }
  }
  return undefined;
}

/** The engines table: every query the lifecycle needs, nothing else. */
export function createEngineRepo(db: Kysely<Database>) {
  const byUser = precompile(db, ['productId', 'userId'], (s) =>
    db
      .selectFrom('engines')
      .selectAll()
      .where('product_id', '=', s.productId)
      .where('user_id', '=', s.userId),
  );
  return {
    /** Runs `fn` in one transaction (the state machine: a status and its audit row together). */
    transaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
      return db.transaction().execute(fn);
    },

    async byUser(productId: string, userId: string): Promise<EngineRow | undefined> {
      return (await byUser({ productId, userId }))[0];
    },

    async byId(engineId: string): Promise<EngineRow | undefined> {
      return db.selectFrom('engines').selectAll().where('id', '=', engineId).executeTakeFirst();
    },

    /**
     * Inserts a `provisioning` row under a lock on the product, so the quota count and the
     * insert are one decision even with concurrent provisions (and several replicas).
     * Returns 'exists' for a user who has an engine, 'quota' when the product is at max_engines.
     */
    async insertProvisioning(
      engine: NewEngine,
      maxEngines: number | undefined,
    ): Promise<EngineRow | 'quota' | 'exists'> {
      return db.transaction().execute(async (trx) => {
        const refused = await admissionCheck(trx, engine.product_id, engine.user_id, maxEngines);
        if (refused !== undefined) {
          return refused;
        }
        return trx
          .insertInto('engines')
          .values({ ...engine, status: 'provisioning' })
          .returningAll()
          .executeTakeFirstOrThrow();
      });
    },

    /** Healthy warm-pool engines of `image`, oldest first: what a provision may claim. */
    async warmCandidates(image: string, limit: number): Promise<EngineRow[]> {
      return db
        .selectFrom('engines')
        .selectAll()
        .where('product_id', '=', WARM_PRODUCT_ID)
        .where('status', '=', 'running')
        .where('health_failures', '=', 0)
        .where('image', '=', image)
        .orderBy('created_at')
        .limit(limit)
        .execute();
    },

    /**
     * Hands the warm engine `engineId` to (product, user) in one transaction, with the same
     * product lock and checks as insertProvisioning. `beforeCommit` runs with the row locked
     * (it gives the engine its new key); if it throws, nothing changes. 'gone': another claim
     * (or the health loop) got the engine first.
     */
    async claimWarm(claim: {
      engineId: string;
      productId: string;
      userId: string;
      maxEngines: number | undefined;
      patch: (warm: EngineRow) => Partial<Omit<EngineRow, 'id' | 'product_id' | 'user_id'>>;
      beforeCommit: (warm: EngineRow) => Promise<void>;
    }): Promise<EngineRow | 'quota' | 'exists' | 'gone'> {
      return db.transaction().execute(async (trx) => {
        const refused = await admissionCheck(trx, claim.productId, claim.userId, claim.maxEngines);
        if (refused !== undefined) {
          return refused;
        }
        const warm = await trx
          .selectFrom('engines')
          .selectAll()
          .where('id', '=', claim.engineId)
          .where('product_id', '=', WARM_PRODUCT_ID)
          .where('status', '=', 'running')
          .forUpdate()
          .skipLocked()
          .executeTakeFirst();
        if (warm === undefined) {
          return 'gone';
        }
        await claim.beforeCommit(warm);
        return trx
          .updateTable('engines')
          .set({
            ...claim.patch(warm),
            product_id: claim.productId,
            user_id: claim.userId,
            created_at: sql<Date>`now()`,
            updated_at: sql<Date>`now()`,
          })
          .where('id', '=', warm.id)
          .returningAll()
          .executeTakeFirstOrThrow();
      });
    },

    async portsInUse(pool: string): Promise<Set<number>> {
      const rows = await db
        .selectFrom('engines')
        .select('host_port')
        .where('pool', '=', pool)
        .execute();
      return new Set(rows.map((r) => r.host_port));
    },

    /**
     * Compare-and-set of the status, with other columns: undefined when the row is not (or no
     * longer) in `from`. Only the state machine calls this, inside its transaction.
     */
    async setStatus(
      trx: Transaction<Database>,
      engineId: string,
      from: EngineStatus,
      to: EngineStatus,
      patch: EnginePatch = {},
    ): Promise<EngineRow | undefined> {
      return trx
        .updateTable('engines')
        .set({ ...patch, status: to, updated_at: sql<Date>`now()` })
        .where('id', '=', engineId)
        .where('status', '=', from)
        .returningAll()
        .executeTakeFirst();
    },

    /** Deletes the row if it is still `status` (the state machine's move to `destroyed`). */
    async deleteIf(
      trx: Transaction<Database>,
      engineId: string,
      status: EngineStatus,
    ): Promise<boolean> {
      const result = await trx
        .deleteFrom('engines')
        .where('id', '=', engineId)
        .where('status', '=', status)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    /** Columns other than the status (which only the state machine writes). */
    async patch(engineId: string, patch: EnginePatch): Promise<void> {
      await db.updateTable('engines').set(patch).where('id', '=', engineId).execute();
    },

    /** The health loop's one write per tick for every engine that answered its probe. */
    async markHealthy(engineIds: readonly string[]): Promise<void> {
      if (engineIds.length > 0) {
        await db
          .updateTable('engines')
          .set({ last_health_at: new Date() })
          .where('id', 'in', engineIds)
          .execute();
      }
    },

    /** The admit recorder's batched write (one UPDATE a second, off the admit path). */
    async markAdmitted(engineIds: readonly string[]): Promise<void> {
      if (engineIds.length > 0) {
        await db
          .updateTable('engines')
          .set({ last_admit_at: sql<Date>`now()` })
          .where('id', 'in', engineIds)
          .execute();
      }
    },

    /** Engines whose previous key's overlap is over (the sweep drops the key). */
    async overlapsEnded(): Promise<string[]> {
      const rows = await db
        .selectFrom('engines')
        .select('id')
        .where('prev_key_expires_at', '<=', new Date())
        .execute();
      return rows.map((r) => r.id);
    },

    async ofProduct(productId: string): Promise<EngineRow[]> {
      return db.selectFrom('engines').selectAll().where('product_id', '=', productId).execute();
    },

    async list(query: {
      productId: string;
      status?: EngineStatus | undefined;
      limit: number;
      after?: { createdAt: Date; id: string } | undefined;
    }): Promise<EngineRow[]> {
      let q = db.selectFrom('engines').selectAll().where('product_id', '=', query.productId);
      if (query.status !== undefined) {
        q = q.where('status', '=', query.status);
      }
      if (query.after !== undefined) {
        const { createdAt, id } = query.after;
        q = q.where((eb) =>
          eb.or([
            eb('created_at', '>', createdAt),
            eb.and([eb('created_at', '=', createdAt), eb('id', '>', id)]),
          ]),
        );
      }
      return q.orderBy('created_at').orderBy('id').limit(query.limit).execute();
    },

    async withStatus(statuses: readonly EngineStatus[]): Promise<EngineRow[]> {
      return db.selectFrom('engines').selectAll().where('status', 'in', statuses).execute();
    },

    async all(): Promise<EngineRow[]> {
      return db.selectFrom('engines').selectAll().execute();
    },

    ...engineCounts(db),
  };
}
export type EngineRepo = ReturnType<typeof createEngineRepo>;
