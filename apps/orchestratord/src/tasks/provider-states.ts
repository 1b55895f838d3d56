import type { ErrorCode, TaskRequest } from '@agentplane/contracts';
import { ApiError } from '@agentplane/http-kit';
import { DataPlaneError, queueFull } from './data-error.js';
import type { StoredEvent } from './task-repo.js';

// Pact's provider-states protocol for llama-orch's CLI contract (reference/llama-orch-contracts/
// cli-consumer-orchestratord.json): a state is an interaction's description. Only under
// ORCH_TEST_HOOKS=1 (config.ts refuses it in production); nothing here runs otherwise.

type Answer = (request: TaskRequest) => DataPlaneError;

const failure =
  (code: ErrorCode, message: string, retriable: boolean): Answer =>
  (request) =>
    new DataPlaneError({ code, message, extra: { engine: request.engine, retriable } });

/**
 * Conditions a test cannot make on demand (a replica out of slots, a decode timing out): the
 * next admission of params.task_id answers as the pact's response does.
 */
const ADMISSION_ANSWERS: Readonly<Record<string, Answer>> = {
  'enqueue task queue full': (r) => queueFull('QUEUE_FULL_DROP_LRU', 'queue full', 1000, r.engine),
  'admission reject (policy)': (r) =>
    queueFull('ADMISSION_REJECT', 'reject policy', 2000, r.engine),
  'pool unready': failure('POOL_UNREADY', 'pool not ready', true),
  'pool unavailable': failure('POOL_UNAVAILABLE', 'unavailable', true),
  'replica exhausted': failure('REPLICA_EXHAUSTED', 'exhausted', true),
  'decode timeout': failure('DECODE_TIMEOUT', 'timeout', true),
  'worker reset': failure('WORKER_RESET', 'reset', true),
  'internal error': failure('INTERNAL', 'internal', false),
};

/** The pact's other interactions: the real service state they follow from is set up by them. */
const STATELESS = new Set([
  'enqueue task accepted',
  'get session info',
  'delete session',
  'stream task events (SSE placeholder)',
  'invalid params',
]);

// 'cancel task no content' comes before the stream interaction of the same task, which expects
// started, tokens and end: its state is "the task ran to its end" (the cancel is then a no-op).
const TASK_FINISHED = 'cancel task no content';
const FINISH_WAIT_MS = 30_000;

export interface ProviderStateRequest {
  state: string;
  action: 'setup' | 'teardown';
  params: Record<string, unknown>;
}

export function createProviderStates(deps: {
  eventsAfter: (taskId: string, after: number) => Promise<StoredEvent[]>;
}) {
  const pending = new Map<string, Answer>();

  async function waitFinished(taskId: string): Promise<void> {
    const until = Date.now() + FINISH_WAIT_MS;
    while (Date.now() < until) {
      const events = await deps.eventsAfter(taskId, 0);
      if (events.some((e) => e.event.event === 'end' || e.event.event === 'error')) {
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new ApiError({
      code: 'CONFLICT',
      message: `Task ${taskId} did not finish within ${FINISH_WAIT_MS} ms`,
    });
  }

  return {
    /** Sets up (or tears down) one state; an unknown state is a 400, as a verifier expects. */
    async apply({ state, action, params }: ProviderStateRequest): Promise<void> {
      const taskId = typeof params.task_id === 'string' ? params.task_id : undefined;
      const answer = ADMISSION_ANSWERS[state];
      if (answer === undefined && state !== TASK_FINISHED && !STATELESS.has(state)) {
        throw new ApiError({
          code: 'VALIDATION_ERROR',
          message: `Unknown provider state ${state}`,
        });
      }
      if ((answer !== undefined || state === TASK_FINISHED) && taskId === undefined) {
        throw new ApiError({ code: 'VALIDATION_ERROR', message: `${state} needs params.task_id` });
      }
      if (taskId === undefined) {
        return;
      }
      if (action === 'teardown') {
        pending.delete(taskId);
      } else if (answer !== undefined) {
        pending.set(taskId, answer);
      } else if (state === TASK_FINISHED) {
        await waitFinished(taskId);
      }
    },

    /** The answer set up for this task's admission, if any (taken: it answers once). */
    take(request: TaskRequest): DataPlaneError | undefined {
      const answer = pending.get(request.task_id);
      pending.delete(request.task_id);
      return answer?.(request);
    },
  };
}
export type ProviderStates = ReturnType<typeof createProviderStates>;
