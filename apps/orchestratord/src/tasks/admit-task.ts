import { createHash } from 'node:crypto';
import type { AdmissionResponse, TaskEvent, TaskRequest } from '@agentplane/contracts';
import { ApiError } from '@agentplane/http-kit';
import type { EngineRepo } from '../fleet/engine-repo.js';
import type { ProductRow } from '../fleet/product-repo.js';
import { DataPlaneError, queueFull } from './data-error.js';
import type { SessionRepo } from './session-repo.js';
import type { TaskRepo } from './task-repo.js';

export interface AdmitTaskDeps {
  tasks: TaskRepo;
  sessions: SessionRepo;
  engines: EngineRepo;
  poolNames: readonly string[];
  /** The pools' default image: what a user without an engine gets. */
  defaultImage: string;
  /** The catalog entries model_ref names. */
  models: ModelResolver;
  capacity: number;
  policy: 'reject' | 'drop-lru';
  slots: number;
  sessionTtlMs: number;
  maxTurns: number;
  tokenBudget: number;
  /** Mean run time of recent tasks (the start prediction's unit). */
  meanTaskMs: () => number;
}

/** The catalog as admission asks it: the entry a model_ref names (`default`: the default's). */
export interface ModelResolver {
  resolve(modelRef: string): Promise<{ image: string; state: 'Active' | 'Retired' } | undefined>;
}

const invalid = (message: string, details?: unknown) =>
  new DataPlaneError({ code: 'INVALID_PARAMS', message, details, extra: { retriable: false } });

/** The user turn of a task that brings none (llama-orch's CLI sends neither prompt nor inputs). */
const CONTINUE_PROMPT = 'Continue.';

/**
 * The prompt the engine gets: `prompt`, else the `inputs` joined by blank lines, else a turn
 * that continues the session's conversation (an agent turn needs a user message).
 */
export function promptOf(request: TaskRequest): string {
  return request.prompt ?? request.inputs?.join('\n\n') ?? CONTINUE_PROMPT;
}

function hashOf(request: TaskRequest): string {
  return createHash('sha256').update(JSON.stringify(request)).digest('hex');
}

function links(id: string) {
  const sse = `/v1/tasks/${id}/stream`;
  return { sse, sse_verbose: `${sse}?verbose=true` };
}

/**
 * POST /v1/tasks: checks what the schema cannot (workload, prompt, model_ref, pool, session
 * budgets), then enqueues under the pool's lock, or refuses by the full-queue policy. A task id
 * sent again with the same request answers as before (a client's retry); with another, 409.
 */
export async function admitTask(
  deps: AdmitTaskDeps,
  product: ProductRow,
  request: TaskRequest,
  correlationId: string,
): Promise<{ body: AdmissionResponse; headers: Record<string, string>; pool: string }> {
  if (request.workload !== 'completion') {
    throw invalid(`workload ${request.workload} is not served: agent engines run completions`);
  }
  const requestHash = hashOf(request);
  // The reads admission needs, at once (one round trip of latency instead of four); the
  // engine is read here when the request names its user, else once the session has said.
  const [existing, session, model, namedEngine] = await Promise.all([
    deps.tasks.byId(product.id, request.task_id),
    deps.sessions.live(product.id, request.session_id),
    deps.models.resolve(request.model_ref),
    request.user_id === undefined ? undefined : deps.engines.byUser(product.id, request.user_id),
  ]);
  if (existing !== undefined) {
    if (existing.request_hash !== requestHash) {
      throw new ApiError({
        code: 'CONFLICT',
        message: 'This task_id was used for another request',
      });
    }
    return {
      body: {
        task_id: existing.id,
        queue_position: 0,
        predicted_start_ms: 0,
        backoff_ms: 0,
        streams: links(existing.id),
      },
      headers: {},
      pool: existing.pool,
    };
  }
  if (
    session !== undefined &&
    request.user_id !== undefined &&
    session.user_id !== request.user_id
  ) {
    throw invalid('This session belongs to another user_id');
  }
  const userId = request.user_id ?? session?.user_id ?? request.session_id;
  if (deps.maxTurns > 0 && (session?.turns ?? 0) >= deps.maxTurns) {
    throw invalid(`The session took its ${deps.maxTurns} turns`, { budget: 'turns' });
  }
  const tokensLeft =
    deps.tokenBudget > 0 ? deps.tokenBudget - Number(session?.tokens_used ?? 0) : undefined;
  if (tokensLeft !== undefined && tokensLeft <= 0) {
    throw invalid('The session’s token budget is spent', { budget: 'tokens' });
  }
  const engine =
    request.user_id === undefined ? await deps.engines.byUser(product.id, userId) : namedEngine;
  if (engine === undefined && product.policy.auto_provision !== true) {
    throw new DataPlaneError({
      code: 'NOT_FOUND',
      message: `No engine for user ${userId}; provision one or set the product's auto_provision`,
      extra: { retriable: false },
    });
  }
  // model_ref names a catalog entry; `default` works without one (a catalog not yet seeded).
  if (model === undefined && request.model_ref !== 'default') {
    throw invalid(`model_ref ${request.model_ref} names no catalog entry`, {
      model_ref: request.model_ref,
    });
  }
  if (model?.state === 'Retired') {
    throw new DataPlaneError({
      code: 'MODEL_DEPRECATED',
      message: `model_ref ${request.model_ref} is Retired in the catalog`,
      details: { model_ref: request.model_ref },
      extra: { retriable: false, engine: request.engine },
    });
  }
  const image = engine?.image ?? deps.defaultImage;
  if (request.model_ref !== 'default' && model?.image !== image) {
    throw invalid(`model_ref ${request.model_ref} is not an engine image this user can run`, {
      model_ref: request.model_ref,
      image,
    });
  }
  // What dispatch must do before the turn: provision, or wake (shown again as metrics.prep).
  const prep =
    engine === undefined || engine.status === 'destroying'
      ? ({ id: `engine:${image}`, kind: 'engine_provision', status: 'pending' } as const)
      : engine.status === 'sleeping' || engine.status === 'stopped'
        ? ({ id: `engine:${image}`, kind: 'pool_warmup', status: 'pending' } as const)
        : undefined;
  const pin = request.placement?.pin_pool_id;
  if (pin !== undefined && !deps.poolNames.includes(pin)) {
    throw invalid(`Unknown pool ${pin}`, { pools: deps.poolNames });
  }
  if (pin !== undefined && engine !== undefined && engine.pool !== pin) {
    throw invalid(`The user’s engine runs in pool ${engine.pool}, not ${pin}`);
  }
  const pool = engine?.pool ?? pin ?? (deps.poolNames[0] as string);
  const predict = (position: number) =>
    Math.round(Math.floor(position / deps.slots) * deps.meanTaskMs());
  const backoff = Math.max(1000, predict(deps.capacity));
  let position = 0;
  const result = await deps.tasks.admit<DataPlaneError | 'deadline'>(
    {
      id: request.task_id,
      productId: product.id,
      userId,
      sessionId: request.session_id,
      pool,
      request,
      requestHash,
      correlationId,
    },
    (snap) => {
      // Read under the queue's lock, so a drain that began a moment ago is seen.
      if (snap.draining) {
        return {
          kind: 'refuse',
          value: new DataPlaneError({
            code: 'POOL_UNAVAILABLE',
            message: `Pool ${pool} is draining`,
            extra: { retriable: true, engine: request.engine },
          }),
        };
      }
      const ahead =
        request.priority === 'interactive' ? snap.aheadOf.interactive : snap.aheadOf.batch;
      let drop: { id: string; error: TaskEvent } | undefined;
      if (snap.queued >= deps.capacity) {
        if (deps.policy === 'reject') {
          return {
            kind: 'refuse',
            value: queueFull(
              'ADMISSION_REJECT',
              `Pool ${pool}’s queue is full (${deps.capacity})`,
              backoff,
              request.engine,
            ),
          };
        }
        if (request.priority === 'batch' || snap.oldestBatch === undefined) {
          return {
            kind: 'refuse',
            value: queueFull(
              'QUEUE_FULL_DROP_LRU',
              `Pool ${pool}’s queue is full and holds no batch task to drop`,
              backoff,
              request.engine,
            ),
          };
        }
        drop = {
          id: snap.oldestBatch,
          error: {
            event: 'error',
            code: 'QUEUE_FULL_DROP_LRU',
            message: 'Dropped from the full queue for an interactive task',
            retriable: true,
          },
        };
      }
      position = ahead;
      const predicted = predict(position);
      if (predicted > request.deadline_ms) {
        return { kind: 'refuse', value: 'deadline' };
      }
      return {
        kind: 'enqueue',
        started: { event: 'started', queue_position: position, predicted_start_ms: predicted },
        drop,
      };
    },
    (trx) => deps.sessions.touch(product.id, request.session_id, userId, deps.sessionTtlMs, trx),
  );
  if (result.kind === 'refused') {
    if (result.value === 'deadline') {
      throw new DataPlaneError({
        code: 'DEADLINE_UNMET',
        message: `The task cannot start within deadline_ms ${request.deadline_ms}`,
        extra: { retriable: false, engine: request.engine },
      });
    }
    throw result.value;
  }
  const headers: Record<string, string> =
    tokensLeft === undefined ? {} : { 'x-budget-tokens-remaining': String(tokensLeft) };
  return {
    body: {
      task_id: request.task_id,
      queue_position: position,
      predicted_start_ms: predict(position),
      backoff_ms: 0,
      streams: links(request.task_id),
      ...(prep === undefined ? {} : { preparation: { steps: [prep] } }),
    },
    headers,
    pool,
  };
}
