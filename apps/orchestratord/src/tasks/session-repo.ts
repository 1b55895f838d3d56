import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { Database, SessionsTable } from '../db/schema.js';

export type SessionRow = Selectable<SessionsTable>;

/** Every query on sessions. A session past expires_at is as good as absent. */
export function createSessionRepo(db: Kysely<Database>) {
  return {
    live(productId: string, id: string): Promise<SessionRow | undefined> {
      return db
        .selectFrom('sessions')
        .selectAll()
        .where('product_id', '=', productId)
        .where('id', '=', id)
        .where('expires_at', '>', sql<Date>`now()`)
        .executeTakeFirst();
    },

    /**
     * Counts one admitted turn, creating the session (or replacing an expired one) with `ttlMs`;
     * every turn extends it. Returns the row as it was before this turn (undefined: new).
     */
    async touch(
      productId: string,
      id: string,
      userId: string,
      ttlMs: number,
      trx: Kysely<Database> | Transaction<Database> = db,
    ): Promise<void> {
      const expires = sql<Date>`now() + ${`${ttlMs} milliseconds`}::interval`;
      await trx
        .insertInto('sessions')
        .values({ product_id: productId, id, user_id: userId, turns: 1, expires_at: expires })
        .onConflict((oc) =>
          oc.columns(['product_id', 'id']).doUpdateSet({
            turns: sql`case when sessions.expires_at > now() then sessions.turns + 1 else 1 end`,
            tokens_used: sql`case when sessions.expires_at > now() then sessions.tokens_used else 0 end`,
            user_id: sql`excluded.user_id`,
            expires_at: expires,
          }),
        )
        .execute();
    },

    async addTokens(productId: string, id: string, tokens: number): Promise<void> {
      await db
        .updateTable('sessions')
        .set({ tokens_used: sql`tokens_used + ${tokens}` })
        .where('product_id', '=', productId)
        .where('id', '=', id)
        .execute();
    },

    async remove(productId: string, id: string): Promise<void> {
      await db
        .deleteFrom('sessions')
        .where('product_id', '=', productId)
        .where('id', '=', id)
        .execute();
    },
  };
}
export type SessionRepo = ReturnType<typeof createSessionRepo>;
