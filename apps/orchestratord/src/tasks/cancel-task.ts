import type { TaskHub } from './task-hub.js';
import { isTerminal, type TaskRepo } from './task-repo.js';

const WAIT_MS = 5000;

/**
 * Cancels a task, idempotently; false when the product has no such task. A queued task moves
 * to cancelled with its `end {canceled}` at once (never dispatched). A running one is marked in
 * its row (from then on its relay can write nothing but the end), its relay told (at once here,
 * within a dispatch tick on another replica), and the answer waits for the end to be written:
 * when cancel returns, the stream holds its last token.
 */
export async function cancelTaskById(
  deps: { repo: TaskRepo; hub: TaskHub },
  productId: string,
  id: string,
): Promise<'unknown' | 'finished' | 'dequeued' | 'stopped'> {
  const row = await deps.repo.byId(productId, id);
  if (row === undefined) {
    return 'unknown';
  }
  if (isTerminal(row.status)) {
    return 'finished';
  }
  if (row.status === 'queued') {
    const stored = await deps.repo.finish(id, 'queued', 'cancelled', {
      event: 'end',
      tokens_out: 0,
      decode_ms: 0,
      decode_time_ms: 0,
      stop_reason: 'canceled',
      canceled: true,
    });
    if (stored !== undefined) {
      deps.hub.publish(id, stored);
      return 'dequeued';
    }
    // Claimed meanwhile: it is running now.
  }
  await deps.repo.requestCancel(id);
  deps.hub.cancelLocal(id);
  const until = Date.now() + WAIT_MS;
  while (Date.now() < until) {
    const now = await deps.repo.byId(productId, id);
    if (now === undefined || isTerminal(now.status)) {
      break;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  return 'stopped';
}
