import type { AuditEntry } from '@agentplane/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export interface AuditRecord {
  productId: string | null;
  engineId: string | null;
  userId: string | null;
  /** api, admin, health, events, reconcile, idle, rotation */
  actor: string;
  action: string;
  durationMs?: number | null;
  metadata?: Record<string, unknown>;
}

/** The append-only audit log: rows are inserted, never updated or deleted. */
export function createAuditLog(db: Kysely<Database>) {
  return {
    async append(record: AuditRecord, trx: Kysely<Database> = db): Promise<void> {
      await trx
        .insertInto('audit_log')
        .values({
          product_id: record.productId,
          engine_id: record.engineId,
          user_id: record.userId,
          actor: record.actor,
          action: record.action,
          duration_ms: record.durationMs ?? null,
          metadata: JSON.stringify(record.metadata ?? {}),
        })
        .execute();
    },

    async list(query: {
      productId: string;
      userId?: string | undefined;
      after: number;
      limit: number;
    }): Promise<AuditEntry[]> {
      let q = db
        .selectFrom('audit_log')
        .selectAll()
        .where('product_id', '=', query.productId)
        .where('id', '>', String(query.after));
      if (query.userId !== undefined) {
        q = q.where('user_id', '=', query.userId);
      }
      const rows = await q.orderBy('id').limit(query.limit).execute();
      return rows.map((r) => ({
        id: Number(r.id),
        at: r.at.toISOString(),
        engine_id: r.engine_id,
        user_id: r.user_id,
        actor: r.actor,
        action: r.action,
        duration_ms: r.duration_ms,
        metadata: r.metadata,
      }));
    },

    /** Counts of actions in the last `sinceMs` for a product (the /status figures). */
    async countsSince(productId: string, sinceMs: number): Promise<Map<string, number>> {
      const rows = await db
        .selectFrom('audit_log')
        .select(['action', (eb) => eb.fn.countAll<string>().as('n')])
        .where('product_id', '=', productId)
        .where('at', '>', new Date(Date.now() - sinceMs))
        .groupBy('action')
        .execute();
      return new Map(rows.map((r) => [r.action, Number(r.n)]));
    },
  };
}
export type AuditLog = ReturnType<typeof createAuditLog>;
