import type { ExecuteRequestBody } from '@agentplane/contracts/engine';
import { ApiError, type Logger } from '@agentplane/http-kit';
import { HistoryError } from '../brain/history-types.js';
import { createEventLog, type EventLog } from './event-log.js';
import { checkQuotas, historyApiError, planRun } from './plan-run.js';
import { createRunMetrics } from './run-metrics.js';
import { runTurn, startedEvent, type TurnDeps } from './run-turn.js';
import type { CancelReason, Run, RunDeps, RunPlan } from './run-types.js';

/**
 * The engine's turns: which task and conversation is busy, the per-conversation queue
 * (multitask_strategy), and the event logs kept for replay. See runs/ARCHITECTURE.md.
 */
export interface RunManager {
  /**
   * Accepts a turn or throws its error envelope (503, 429, 404, 409, 400) before anything is
   * streamed; a rejected request writes nothing. An immediate edit/retry is written here, so its
   * errors are envelopes too.
   */
  start(body: ExecuteRequestBody, receivedAt: number): Run;
  /** The log of the task's latest turn (or `turnId`), running or still kept for replay. */
  find(taskId: string, turnId?: string): EventLog | undefined;
  /** Cancels the task's running or queued turn; `undefined` when no turn is known at all. */
  cancel(
    taskId: string,
    reason: CancelReason,
  ): { turnId: string; status: 'cancelling' | 'already_finished' } | undefined;
  /** Resolves when every registered turn has ended and been stored. */
  drain(): Promise<void>;
  /** Turns registered and not yet ended (running or queued). */
  readonly active: number;
}

interface RunState extends Run {
  controller: AbortController;
  reason: CancelReason | undefined;
  state: 'queued' | 'running' | 'ended';
  begin(): void;
}

interface ConversationSlot {
  running: RunState | undefined;
  queue: RunState[];
}

export function createRunManager(deps: RunDeps): RunManager {
  const metrics = createRunMetrics(deps.metrics.registry);
  const logs = new Map<string, EventLog>();
  const latestTurn = new Map<string, string>();
  const finished: EventLog[] = [];
  const byTask = new Map<string, RunState>();
  const slots = new Map<string, ConversationSlot>();

  const evict = () => {
    const now = Date.now();
    while (finished.length > 0) {
      const oldest = finished[0] as EventLog;
      const expired = (oldest.finishedAt ?? now) + deps.replayTtlMs <= now;
      if (!expired && finished.length <= deps.maxFinishedRuns) {
        break;
      }
      finished.shift();
      logs.delete(oldest.turnId);
      if (latestTurn.get(oldest.taskId) === oldest.turnId) {
        latestTurn.delete(oldest.taskId);
      }
    }
  };

  const slotOf = (conversationId: string): ConversationSlot => {
    let slot = slots.get(conversationId);
    if (slot === undefined) {
      slot = { running: undefined, queue: [] };
      slots.set(conversationId, slot);
    }
    return slot;
  };

  const next = (conversationId: string) => {
    const slot = slots.get(conversationId);
    if (slot === undefined || slot.running !== undefined) {
      return;
    }
    const queued = slot.queue.shift();
    if (queued === undefined) {
      slots.delete(conversationId);
      return;
    }
    queued.begin();
  };

  const turnDeps = (): TurnDeps => ({
    llm: deps.llm,
    heartbeatMs: deps.heartbeatMs,
    maxEventsPerTurn: deps.maxEventsPerTurn,
    conversations: deps.conversations as NonNullable<RunDeps['conversations']>,
    usage: deps.usage as NonNullable<RunDeps['usage']>,
    catalog: deps.catalog as NonNullable<RunDeps['catalog']>,
    metrics,
    ...(deps.tools ? { tools: deps.tools } : {}),
    ...(deps.approver ? { approver: deps.approver } : {}),
  });

  const register = (plan: RunPlan): RunState => {
    const taskId = plan.body.task_id;
    // Made on first use: pino serialises the bindings in child(), which was measurable on every
    // request's path to its first event, and at the production level most turns log nothing.
    let runLogger: Logger | undefined;
    const logger = (): Logger =>
      (runLogger ??= deps.logger.child({
        component: 'run',
        task_id: taskId,
        turn_id: plan.turnId,
        conversation_id: plan.conversationId,
      }));
    const log = createEventLog({ taskId, turnId: plan.turnId, validate: deps.validateEvents });
    const controller = new AbortController();
    const untrack = deps.shutdown.track();
    let resolveDone: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      resolveDone = resolve;
    });

    const end = (status: string) => {
      run.state = 'ended';
      untrack();
      byTask.delete(taskId);
      finished.push(log);
      metrics.finished(status);
      const slot = slots.get(plan.conversationId);
      if (slot?.running === run) {
        slot.running = undefined;
      }
      resolveDone();
      next(plan.conversationId);
    };

    const run: RunState = {
      plan,
      log,
      done,
      controller,
      reason: undefined,
      state: 'queued',
      cancel(reason) {
        if (run.state === 'ended') {
          return false;
        }
        run.reason ??= reason;
        if (run.state === 'queued') {
          // Never started: end it here without touching the brain.
          const slot = slots.get(plan.conversationId);
          if (slot) {
            slot.queue = slot.queue.filter((r) => r !== run);
          }
          log.append(startedEvent(plan, plan.userMessageId));
          log.append({ event: 'thread.cancelled', reason: run.reason });
          logger().info({ reason: run.reason }, 'queued turn cancelled');
          end('cancelled');
          return true;
        }
        controller.abort(run.reason);
        return true;
      },
      begin() {
        run.state = 'running';
        slotOf(plan.conversationId).running = run;
        const started = performance.now();
        runTurn(
          {
            plan,
            log,
            signal: controller.signal,
            cancelReason: () => run.reason,
            get logger() {
              return logger();
            },
          },
          turnDeps(),
        ).then(
          (status) => {
            if (deps.logger.isLevelEnabled('info')) {
              logger().info(
                { status, duration_ms: Math.round(performance.now() - started), events: log.size },
                'turn ended',
              );
            }
            end(status);
          },
          (err: unknown) => {
            // runTurn does not throw; if it ever does, the stream must still end.
            logger().error({ err }, 'turn crashed');
            if (log.size === 0) {
              log.append(startedEvent(plan, plan.userMessageId));
            }
            if (!log.finished) {
              log.append({
                event: 'thread.errored',
                code: 'INTERNAL_ERROR',
                message: 'the turn failed',
                retriable: false,
              });
            }
            end('errored');
          },
        );
      },
    };
    byTask.set(taskId, run);
    logs.set(plan.turnId, log);
    latestTurn.set(taskId, plan.turnId);
    return run;
  };

  deps.shutdown.shuttingDown.addEventListener(
    'abort',
    () => {
      for (const run of [...byTask.values()]) {
        run.cancel('shutdown');
      }
    },
    { once: true },
  );

  const notReady = (message: string) => new ApiError({ code: 'NOT_READY', message });

  const find = (taskId: string, turnId?: string): EventLog | undefined => {
    evict();
    const id = turnId ?? latestTurn.get(taskId);
    const log = id === undefined ? undefined : logs.get(id);
    return log?.taskId === taskId ? log : undefined;
  };

  return {
    start(body, receivedAt) {
      const { conversations, usage, catalog } = deps;
      if (deps.shutdown.shuttingDown.aborted) {
        throw notReady('The engine is shutting down');
      }
      if (conversations === undefined || usage === undefined) {
        throw notReady('The brain is not open');
      }
      if (catalog === undefined) {
        throw notReady('The catalog is not loaded');
      }
      // Taken once: a set_config during the turn does not affect it.
      const { config } = deps.gateway.current();
      checkQuotas(usage, config.quotas);
      if (byTask.has(body.task_id)) {
        throw new ApiError({
          code: 'TASK_BUSY',
          message: `A turn of task ${body.task_id} is already running or queued`,
        });
      }
      const plan = planRun({ body, config, catalog, conversations, receivedAt });
      const slot = slots.get(plan.conversationId);
      const busy = slot !== undefined && (slot.running !== undefined || slot.queue.length > 0);
      if (busy && body.multitask_strategy === 'reject') {
        throw new ApiError({
          code: 'TASK_BUSY',
          message: `Conversation ${plan.conversationId} has a turn in flight`,
          details: { conversation_id: plan.conversationId, multitask_strategy: 'reject' },
        });
      }
      if (!busy && (body.edit_message_id !== null || body.retry_message_id !== null)) {
        // Written now (not when the turn starts) so a refused edit/retry is an envelope.
        try {
          planRerunWrite(plan, conversations);
        } catch (err) {
          throw err instanceof HistoryError ? historyApiError(err) : err;
        }
      }
      evict();
      const run = register(plan);
      if (!busy) {
        run.begin();
      } else if (body.multitask_strategy === 'interrupt') {
        (slot as ConversationSlot).queue.unshift(run);
        slot?.running?.cancel('interrupted');
      } else {
        (slot as ConversationSlot).queue.push(run);
      }
      return run;
    },
    find,
    cancel(taskId, reason) {
      const run = byTask.get(taskId);
      if (run !== undefined) {
        run.cancel(reason);
        return { turnId: run.plan.turnId, status: 'cancelling' };
      }
      const log = find(taskId);
      return log === undefined ? undefined : { turnId: log.turnId, status: 'already_finished' };
    },
    async drain() {
      await Promise.all([...byTask.values()].map((run) => run.done));
    },
    get active() {
      return byTask.size;
    },
  };
}

/** Performs an immediate turn's edit/retry write; runTurn then uses `plan.rerun` as is. */
function planRerunWrite(plan: RunPlan, store: NonNullable<RunDeps['conversations']>): void {
  const { body } = plan;
  if (body.edit_message_id !== null) {
    plan.rerun = store.editUserMessage(body.edit_message_id, body.message, plan.turnId);
  } else if (body.retry_message_id !== null) {
    plan.rerun = store.retryAssistantTurn(body.retry_message_id, plan.turnId);
  }
}
