import type { StateSnapshot } from './fuzz-target.js';
import { call, type FuzzFleet } from './orchestratord-fleet.js';

/** Straight from the tables of the /v1 planes: tasks, sessions, pool drains, the catalog. */
async function dbState(pg: NonNullable<FuzzFleet['pg']>): Promise<StateSnapshot> {
  // The columns a request changes, ordered by the leading ones (the table's key).
  const rows = (table: string, key: string[], columns: string[]) =>
    key
      .reduce((q, column) => q.orderBy(column), pg.db.selectFrom(`orchestratord.${table}`))
      .select([...key, ...columns])
      .execute();
  return {
    tasks: await rows('tasks', ['id'], ['session_id', 'status']),
    sessions: await rows(
      'sessions',
      ['product_id', 'id'],
      ['user_id', 'turns', 'tokens_used', 'expires_at'],
    ),
    pool_drains: await rows('pool_drains', ['pool'], ['deadline_at', 'expired']),
    catalog_models: await rows(
      'catalog_models',
      ['id'],
      ['engine', 'image', 'digest', 'state', 'model', 'verified_at'],
    ),
  };
}

// Task counters of /metrics: with no way to list tasks, what shows one admitted or cancelled.
const TASK_COUNTERS = /^(tasks_enqueued_total|tasks_canceled_total)(?:\{[^}]*\})? (\S+)$/;

async function taskCounters(base: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const sums: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = TASK_COUNTERS.exec(line);
    if (m?.[1] !== undefined) {
      sums[m[1]] = (sums[m[1]] ?? 0) + Number(m[2]);
    }
  }
  return sums;
}

/**
 * Through the API (PGlite is inside the service): the task counters, the known sessions' turns,
 * the pool's drain and queue depth, the catalog's entries.
 */
async function apiState(fleet: FuzzFleet, sessionIds: readonly string[]): Promise<StateSnapshot> {
  const headers = { 'x-platform-key': fleet.platformKey };
  const sessions = [];
  for (const id of sessionIds) {
    const res = await fetch(`${fleet.base}/v1/sessions/${id}`, { headers });
    const body = (await res.json()) as { turns?: number };
    sessions.push({ id, status: res.status, turns: body.turns });
  }
  const health = await call(fleet.base, `/v1/pools/${fleet.pool}/health`, headers);
  const catalog = await call(fleet.base, '/v1/catalog/models', headers);
  return {
    tasks: await taskCounters(fleet.base),
    sessions,
    pool: { draining: health.draining, metrics: health.metrics },
    catalog_models: catalog.models,
  };
}

/** The /v1 state a rejected request must leave as it was (`sessionIds`: those to read on PGlite). */
export function v1State(
  fleet: FuzzFleet,
  sessionIds: readonly string[] = [],
): () => Promise<StateSnapshot> {
  const { pg } = fleet;
  return () => (pg === undefined ? apiState(fleet, sessionIds) : dbState(pg));
}

/** The state once it stops changing (a finished task's session is charged after its end). */
export async function settledV1State(snapshot: () => Promise<StateSnapshot>): Promise<void> {
  let last = JSON.stringify(await snapshot());
  for (let i = 0; i < 50; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = JSON.stringify(await snapshot());
    if (now === last) {
      return;
    }
    last = now;
  }
  throw new Error('the /v1 state did not settle in 5 s');
}
