import type { AuditAction, AuditActor, AuditEntry, EngineState } from '@agentplane/contracts';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { AuditTable, Database } from '../db/schema.js';

export interface AuditRecord {
  productId: string | null;
  engineId: string | null;
  userId: string | null;
  actor: AuditActor;
  action: AuditAction;
  /** Both ends of the status change the action made; absent when it changed no status. */
  from?: EngineState | null;
  to?: EngineState | null;
  durationMs?: number | null;
  metadata?: Record<string, unknown>;
}

function toEntry(r: Selectable<AuditTable>): AuditEntry {
  return {
    id: Number(r.id),
    at: r.at.toISOString(),
    engine_id: r.engine_id,
    user_id: r.user_id,
    actor: r.actor,
    action: r.action,
    from: r.from_status,
    to: r.to_status,
    duration_ms: r.duration_ms,
    metadata: r.metadata,
  };
}

/** The append-only audit log: rows are inserted, never updated or deleted. */
export function createAuditLog(db: Kysely<Database>) {
  return {
    /** `trx`: the transaction that also wrote the change being recorded (the state machine). */
    async append(record: AuditRecord, trx: Kysely<Database> = db): Promise<void> {
      await trx
        .insertInto('audit_log')
        .values({
          product_id: record.productId,
          engine_id: record.engineId,
          user_id: record.userId,
          actor: record.actor,
          action: record.action,
          from_status: record.from ?? null,
          to_status: record.to ?? null,
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
      return rows.map(toEntry);
    },

    /** Every row about one engine, oldest first (its trail through the state machine). */
    async trail(engineId: string): Promise<AuditEntry[]> {
      const rows = await db
        .selectFrom('audit_log')
        .selectAll()
        .where('engine_id', '=', engineId)
        .orderBy('id')
        .execute();
      return rows.map(toEntry);
    },

    /** Counts of actions in the last `sinceMs` for a product (the /status figures). */
    async countsSince(productId: string, sinceMs: number): Promise<Map<AuditAction, number>> {
      const rows = await db
        .selectFrom('audit_log')
        .select(['action', (eb) => eb.fn.countAll<string>().as('n')])
        .where('product_id', '=', productId)
        .where('at', '>', new Date(Date.now() - sinceMs))
        .groupBy('action')
        .execute();
      return new Map(rows.map((r) => [r.action, Number(r.n)]));
    },

    /** The mean duration of `action` in the last `sinceMs` (avg_boot_ms on /status). */
    async meanDurationSince(
      productId: string,
      action: AuditAction,
      sinceMs: number,
    ): Promise<number | null> {
      const row = await db
        .selectFrom('audit_log')
        .select(sql<number | null>`avg(duration_ms)`.as('avg'))
        .where('product_id', '=', productId)
        .where('action', '=', action)
        .where('at', '>', new Date(Date.now() - sinceMs))
        .executeTakeFirstOrThrow();
      return row.avg === null ? null : Number(row.avg);
    },
  };
}
export type AuditLog = ReturnType<typeof createAuditLog>;
