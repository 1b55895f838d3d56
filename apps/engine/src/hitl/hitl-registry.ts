import { randomBytes } from 'node:crypto';
import type { ApprovalDecision, Approve, EnvelopeField } from '@agentplane/agent-loop';
import type {
  HitlExpiredEvent,
  HitlPendingRequest,
  HitlRequestEvent,
  HitlResolvedEvent,
  HitlRespondResult,
  HitlResponse,
} from '@agentplane/contracts/engine';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The HITL events as the registry emits them; the run stamps `task_id`, `turn_id` and `seq`. */
export type HitlEvent = DistributiveOmit<
  HitlRequestEvent | HitlResolvedEvent | HitlExpiredEvent,
  EnvelopeField
>;

/** The run an approver belongs to. `emit` must be safe to call while the loop emits too. */
export interface HitlRun {
  taskId: string;
  turnId: string;
  emit(event: HitlEvent): Promise<void> | void;
}

export interface HitlTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface HitlRegistryOptions {
  /** How long a request waits for an answer before it is denied with `hitl_expired`. */
  ttlMs: number;
  now?: () => number;
  timers?: HitlTimers;
  /** Closed ids remembered to answer `expired` / `already_resolved` (oldest forgotten first). */
  rememberClosed?: number;
}

/**
 * Open tool-approval requests across every run of this engine.
 *
 * ```ts
 * const hitl = createHitlRegistry({ ttlMs: 15 * 60_000 });
 * runAgentLoop({ ..., approve: hitl.approver({ taskId, turnId, emit: send }) });
 * hitl.respond([{ request_id, decision: 'approve' }]); // from POST /hitl/respond
 * ```
 */
export interface HitlRegistry {
  /** The `approve` option of one run: gates tools with `needs_approval`, passes the rest. */
  approver(run: HitlRun): Approve;
  /** Open requests, oldest first; only `taskId`'s when given. */
  pending(taskId?: string): HitlPendingRequest[];
  /** Answers requests by id; one result per response, in order. */
  respond(responses: readonly HitlResponse[]): HitlRespondResult[];
}

type Outcome = { kind: 'answered'; response: HitlResponse } | { kind: 'expired' };

interface OpenRequest {
  request: HitlPendingRequest;
  settle(outcome: Outcome): void;
}

type ClosedStatus = Extract<HitlRespondResult['status'], 'expired' | 'already_resolved'>;

const newRequestId = () => `hitl_${randomBytes(12).toString('base64url')}`;

const realTimers: HitlTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export function createHitlRegistry(opts: HitlRegistryOptions): HitlRegistry {
  const now = opts.now ?? Date.now;
  const timers = opts.timers ?? realTimers;
  const rememberClosed = opts.rememberClosed ?? 1000;
  const open = new Map<string, OpenRequest>();
  const closed = new Map<string, ClosedStatus>();

  const close = (id: string, status: ClosedStatus) => {
    open.delete(id);
    closed.set(id, status);
    if (closed.size > rememberClosed) {
      const oldest = closed.keys().next();
      if (!oldest.done) {
        closed.delete(oldest.value);
      }
    }
  };

  /** Waits for an answer, the expiry or the abort; whichever comes first cleans up the others. */
  const wait = (request: HitlPendingRequest, signal: AbortSignal) =>
    new Promise<Outcome>((resolve, reject) => {
      const id = request.request_id;
      const done = () => {
        timers.clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        done();
        // The run is gone: a late answer is too late, as after an expiry.
        close(id, 'expired');
        reject(signal.reason);
      };
      const timer = timers.setTimeout(() => {
        done();
        close(id, 'expired');
        resolve({ kind: 'expired' });
      }, opts.ttlMs);
      signal.addEventListener('abort', onAbort, { once: true });
      open.set(id, {
        request,
        settle: (outcome) => {
          done();
          close(id, outcome.kind === 'answered' ? 'already_resolved' : 'expired');
          resolve(outcome);
        },
      });
    });

  const approver =
    (run: HitlRun): Approve =>
    async (call): Promise<ApprovalDecision> => {
      if (!call.definition.needs_approval) {
        return { approved: true };
      }
      call.signal.throwIfAborted();
      const createdAt = now();
      const request: HitlPendingRequest = {
        request_id: newRequestId(),
        task_id: run.taskId,
        turn_id: run.turnId,
        tool: call.tool,
        arguments: call.arguments,
        created_at: new Date(createdAt).toISOString(),
        expires_at: new Date(createdAt + opts.ttlMs).toISOString(),
      };
      const id = request.request_id;
      // Listed before the event goes out, so an answer sent the moment a client sees the event
      // finds it; the events below are emitted here, in order, whenever the answer arrives.
      const outcome = wait(request, call.signal);
      outcome.catch(() => {});
      try {
        await run.emit({
          event: 'hitl_request',
          request_id: id,
          tool_call_id: call.toolCallId,
          tool: call.tool,
          arguments: call.arguments,
          expires_at: request.expires_at,
        });
      } catch (error) {
        // Nobody can see the request: withdraw it (its timer and listener go with it).
        open.get(id)?.settle({ kind: 'expired' });
        throw error;
      }
      const result = await outcome;
      if (result.kind === 'expired') {
        await run.emit({ event: 'hitl_expired', request_id: id });
        return { approved: false, reason: 'expired' };
      }
      const { decision, reason } = result.response;
      await run.emit({
        event: 'hitl_resolved',
        request_id: id,
        decision,
        ...(reason === undefined ? {} : { reason }),
      });
      return decision === 'approve' ? { approved: true } : { approved: false, reason };
    };

  return {
    approver,
    pending: (taskId) =>
      [...open.values()]
        .map((entry) => entry.request)
        .filter((request) => taskId === undefined || request.task_id === taskId),
    respond: (responses) =>
      responses.map((response) => {
        const id = response.request_id;
        const entry = open.get(id);
        if (entry !== undefined) {
          entry.settle({ kind: 'answered', response });
          return { request_id: id, status: 'resolved' };
        }
        return { request_id: id, status: closed.get(id) ?? 'not_found' };
      }),
  };
}
