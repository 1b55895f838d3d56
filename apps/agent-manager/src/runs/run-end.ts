import type { AgentStatus } from '@agentplane/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { RunOutcome } from './run-store.js';

/**
 * Ends a run and its agent in one statement; with `attempt`, only while that claim holds it.
 * Resolves to whether it did.
 */
export async function endRun(
  db: Kysely<Database>,
  runId: string,
  outcome: RunOutcome,
  attempt?: number,
): Promise<boolean> {
  const now = new Date();
  const status: AgentStatus = outcome.status;
  const error = outcome.status === 'failed' ? JSON.stringify(outcome.error) : null;
  const ended = await db
    .with('r', (qb) => {
      const update = qb
        .updateTable('runs')
        .set({
          status,
          ended_at: now,
          pending: null,
          error,
          output: outcome.status === 'completed' ? outcome.output : null,
          stop_reason: outcome.status === 'completed' ? outcome.stopReason : null,
          cancelled_by: outcome.status === 'cancelled' ? outcome.by : null,
        })
        .where('id', '=', runId);
      return (
        attempt === undefined
          ? update
          : update.where('attempt', '=', attempt).where('status', '=', 'running')
      ).returning('agent_id');
    })
    .updateTable('agents')
    .from('r')
    .set({ status, error, updated_at: now })
    .whereRef('agents.id', '=', 'r.agent_id')
    .returning('agents.id')
    .executeTakeFirst();
  return ended !== undefined;
}
