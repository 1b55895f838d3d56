import {
  type AdmitResponse,
  createClient,
  type ErrorCode,
  engineRoutes,
  type TaskEvent,
} from '@agentplane/contracts';
import { ApiError, type Logger } from '@agentplane/http-kit';
import type { EngineRepo, EngineRow } from '../fleet/engine-repo.js';
import type { ProductRepo, ProductRow } from '../fleet/product-repo.js';
import { promptOf } from './admit-task.js';
import { endEvent, type RelayState, relayTurn, type TurnOutcome } from './relay-turn.js';
import type { SessionRepo } from './session-repo.js';
import type { TaskHub } from './task-hub.js';
import { createTaskLogWriter } from './task-log-writer.js';
import type { TaskRepo, TaskRow } from './task-repo.js';

export interface RunTaskDeps {
  tasks: TaskRepo;
  sessions: SessionRepo;
  products: ProductRepo;
  engines: EngineRepo;
  hub: TaskHub;
  logger: Logger;
  /**
   * The control plane's admit (auto-provision by policy, always auto-wake); `engine` is the
   * user's engine row as just read (undefined: none), so admit need not read it again.
   */
  admit: (
    product: ProductRow,
    userId: string,
    engine: EngineRow | undefined,
  ) => Promise<AdmitResponse>;
}

type LogWriter = ReturnType<typeof createTaskLogWriter>;
type Admitted = Extract<AdmitResponse, { admitted: true }>;

// Why an engine could not be had, as the stream's error code.
function prepFailureCode(error: unknown): ErrorCode {
  switch (error instanceof ApiError ? error.code : undefined) {
    case 'QUOTA_EXCEEDED':
    case 'PORT_EXHAUSTION':
    case 'RATE_LIMITED':
      return 'REPLICA_EXHAUSTED';
    case 'BOOT_TIMEOUT':
    case 'NOT_READY':
      return 'POOL_UNREADY';
    default:
      return 'POOL_UNAVAILABLE';
  }
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

const failure = (code: ErrorCode, text: string, engine: string): TurnOutcome => ({
  to: 'failed',
  terminal: { event: 'error', code, message: text, retriable: true, engine },
});

/** The user's engine, admitted; a provision or wake is shown on the stream as `metrics.prep`. */
async function acquireEngine(
  deps: RunTaskDeps,
  row: TaskRow,
  log: LogWriter,
  state: RelayState,
): Promise<Admitted | TurnOutcome> {
  const engineName = row.request.engine;
  const [product, before] = await Promise.all([
    deps.products.byId(row.product_id),
    deps.engines.byUser(row.product_id, row.user_id),
  ]);
  if (product === undefined) {
    return failure('NOT_FOUND', 'The product is gone', engineName);
  }
  const phase =
    before === undefined ? 'provision' : before.status === 'running' ? undefined : 'wake';
  const prepId = `engine:${before?.image ?? 'default'}`;
  const prep = (item: Record<string, unknown>) => {
    if (phase !== undefined) {
      log.push(
        [{ event: 'metrics', prep: { [prepId]: { phase, ...item } } } as TaskEvent],
        state.engineSeq,
        state.tokens,
      );
    }
  };
  prep({
    status: 'running',
    human: phase === 'wake' ? 'Waking the user’s engine' : 'Provisioning the user’s engine',
  });
  try {
    const admitted = await deps.admit(product, row.user_id, before);
    if (!admitted.admitted) {
      prep({ status: 'failed' });
      return failure('POOL_UNAVAILABLE', admitted.message, engineName);
    }
    prep({ status: 'completed', pct: 100 });
    return admitted;
  } catch (error) {
    prep({ status: 'failed' });
    return failure(prepFailureCode(error), message(error), engineName);
  }
}

/**
 * Runs one claimed task: gets the user's engine, runs the turn with POST /execute (or, for a task
 * taken over from a replica that died, resumes the engine's replay after the last relayed event)
 * and relays it into the task's log, then writes the one terminal event with the status. `cancel`
 * aborts: the engine's turn is cancelled and the stream ends with `end {canceled: true}`; no event
 * is written after the cancel was accepted.
 */
/** How a run went, for the metrics: its status, new tokens, and when the first one came. */
export interface RunSummary {
  status: 'completed' | 'failed' | 'cancelled';
  tokens: number;
  firstTokenMs: number | undefined;
  decodeMs: number;
}

export async function runTask(
  deps: RunTaskDeps,
  row: TaskRow,
  cancel: AbortSignal,
  resume: boolean,
): Promise<RunSummary> {
  const began = performance.now();
  const log = createTaskLogWriter({ repo: deps.tasks, hub: deps.hub, taskId: row.id });
  const state: RelayState = {
    tokens: row.tokens_out,
    engineSeq: row.engine_seq,
    firstTokenAt: undefined,
  };
  const outcome = await relayOnEngine(deps, row, cancel, resume, log, state);
  await log.settle().catch((error: unknown) => {
    deps.logger.error({ err: error, task_id: row.id }, 'a task event write failed');
  });
  const cancelled = log.cancelled || cancel.aborted;
  const stored = cancelled
    ? await deps.tasks.finish(row.id, 'running', 'cancelled', endEvent(state, 'canceled'))
    : await deps.tasks.finish(row.id, 'running', outcome.to, outcome.terminal);
  if (stored !== undefined) {
    deps.hub.publish(row.id, stored);
  }
  if (state.tokens > row.tokens_out) {
    await deps.sessions.addTokens(row.product_id, row.session_id, state.tokens - row.tokens_out);
  }
  const first = state.firstTokenAt;
  return {
    status: cancelled ? 'cancelled' : outcome.to,
    tokens: state.tokens - row.tokens_out,
    firstTokenMs: first === undefined ? undefined : first - began,
    decodeMs: first === undefined ? 0 : performance.now() - first,
  };
}

async function relayOnEngine(
  deps: RunTaskDeps,
  row: TaskRow,
  cancel: AbortSignal,
  resume: boolean,
  log: LogWriter,
  state: RelayState,
): Promise<TurnOutcome> {
  const request = row.request;
  const admitted = await acquireEngine(deps, row, log, state);
  if (!('admitted' in admitted)) {
    return admitted;
  }
  const engine = createClient(engineRoutes, {
    baseUrl: admitted.url,
    headers: () => ({
      'x-engine-key': admitted.engine_key,
      'x-correlation-id': row.correlation_id,
    }),
  });
  const turn = new AbortController();
  const stopTurn = () => {
    turn.abort(new Error('turn stopped'));
    void engine.cancelExecution({ params: { task_id: row.id } }).catch(() => undefined);
  };
  cancel.addEventListener('abort', stopTurn, { once: true });
  try {
    const replayed = resume
      ? await engine.replayExecution(
          { query: { task_id: row.id }, headers: { 'last-event-id': String(state.engineSeq) } },
          { signal: turn.signal },
        )
      : undefined;
    if (replayed !== undefined && replayed.status !== 200 && state.engineSeq > 0) {
      // Part of the turn was relayed and the engine no longer has it (restarted, or past its
      // replay TTL): re-running it would mix two turns' text.
      return failure(
        'WORKER_RESET',
        'The engine lost the turn this task was relaying',
        request.engine,
      );
    }
    const res =
      replayed?.status === 200
        ? replayed
        : await engine.execute(
            {
              body: {
                message: promptOf(request),
                task_id: row.id,
                conversation_id: row.session_id,
                multitask_strategy: 'enqueue',
              },
            },
            { signal: turn.signal },
          );
    if (res.status !== 200) {
      return failure('WORKER_RESET', `The engine refused the turn (${res.status})`, request.engine);
    }
    return await relayTurn(res.events, state, request, log.push, stopTurn);
  } catch (error) {
    if (cancel.aborted) {
      return { to: 'cancelled', terminal: endEvent(state, 'canceled') };
    }
    return failure('WORKER_RESET', `The engine’s stream failed: ${message(error)}`, request.engine);
  } finally {
    cancel.removeEventListener('abort', stopTurn);
  }
}
