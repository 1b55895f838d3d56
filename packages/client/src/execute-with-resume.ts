import {
  ClientError,
  type ClientInput,
  type ClientResponse,
  type EngineEvent,
  type execute,
  isTerminalEvent,
  type replayExecution,
  SseEventError,
  type SseResponse,
} from '@agentplane/contracts';
import type { EngineClient } from './engine-client.js';

type ExecuteInput = ClientInput<typeof execute>;
type ExecuteResponse = ClientResponse<typeof execute>;
type ReplayResponse = ClientResponse<typeof replayExecution>;
type EventStream = SseResponse<200, EngineEvent>;

export interface ResumeOptions {
  signal?: AbortSignal;
  /** Reconnections allowed over the whole turn before the last error is thrown (default 5). */
  maxResumes?: number;
  /** Wait before each reconnection, in ms (default 250, doubling up to 4 s). */
  delayMs?: (attempt: number) => number;
  /** Called before each reconnection with the id it resumes after and the error that ended it. */
  onResume?: (info: { attempt: number; lastEventId: string | undefined; error: unknown }) => void;
}

/** The stream dropped and could not be resumed: replay answered something other than 200. */
export class ResumeError extends Error {
  override readonly name = 'ResumeError';
  constructor(
    message: string,
    readonly lastEventId: string | undefined,
    /** Replay's declared non-stream answer (404 after ENGINE_REPLAY_TTL_S, 401, …). */
    readonly response: Exclude<ReplayResponse, EventStream>,
    override readonly cause: unknown,
  ) {
    super(message, { cause });
  }
}

const defaultDelay = (attempt: number) => Math.min(250 * 2 ** attempt, 4000);

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * `engine.execute`, whose event stream survives a dropped connection: when the stream breaks (or
 * ends before its terminal event), it reconnects with GET /execute/replay and `Last-Event-ID`,
 * so every event arrives once and in order, ending with the terminal one. The turn keeps running
 * on the engine meanwhile (unless the body asks `on_disconnect: "cancel"`). Non-200 answers to
 * the request itself resolve as from `engine.execute`.
 *
 * ```ts
 * const res = await executeWithResume(engine, { body: { message: 'hi', task_id: 't1' } });
 * if (res.status === 200) for await (const ev of res.events) console.log(ev.seq, ev.event);
 * ```
 */
export async function executeWithResume(
  engine: EngineClient,
  input: ExecuteInput,
  options: ResumeOptions = {},
): Promise<ExecuteResponse> {
  const res = await engine.execute(
    input,
    options.signal === undefined ? {} : { signal: options.signal },
  );
  if (res.status !== 200) {
    return res;
  }
  const state = { lastEventId: res.lastEventId() };
  return {
    status: 200,
    lastEventId: () => state.lastEventId,
    events: resumingEvents(engine, res, input.body.task_id, state, options),
  };
}

/** The next stream after a drop, or the error that kept replay from answering at all. */
async function replayAfter(
  engine: EngineClient,
  taskId: string,
  turnId: string | undefined,
  lastEventId: string | undefined,
  signal: AbortSignal | undefined,
): Promise<ReplayResponse | { error: unknown }> {
  try {
    return await engine.replayExecution(
      { query: turnId === undefined ? { task_id: taskId } : { task_id: taskId, turn_id: turnId } },
      {
        ...(lastEventId === undefined ? {} : { lastEventId }),
        ...(signal === undefined ? {} : { signal }),
      },
    );
  } catch (error) {
    // The engine unreachable for a moment (a restart) is worth another attempt; anything else
    // (an aborted signal, an invalid reply) is not.
    if (error instanceof ClientError && error.kind === 'transport' && !signal?.aborted) {
      return { error };
    }
    throw error;
  }
}

async function* resumingEvents(
  engine: EngineClient,
  first: EventStream,
  taskId: string,
  state: { lastEventId: string | undefined },
  options: ResumeOptions,
): AsyncGenerator<EngineEvent> {
  const maxResumes = options.maxResumes ?? 5;
  let stream: EventStream | undefined = first;
  let turnId: string | undefined;
  let error: unknown;
  for (let attempt = 0; ; attempt++) {
    if (stream !== undefined) {
      try {
        for await (const event of stream.events) {
          state.lastEventId = stream.lastEventId();
          turnId = event.turn_id;
          yield event;
          if (isTerminalEvent(event)) {
            return;
          }
        }
        error = new Error('the stream ended before its terminal event');
      } catch (caught) {
        // A payload that fails the contract fails again on replay; an abort is the caller's.
        if (caught instanceof SseEventError || options.signal?.aborted) {
          throw caught;
        }
        error = caught;
      }
    }
    if (attempt >= maxResumes) {
      throw error;
    }
    options.onResume?.({ attempt: attempt + 1, lastEventId: state.lastEventId, error });
    await sleep((options.delayMs ?? defaultDelay)(attempt), options.signal);
    const replay = await replayAfter(engine, taskId, turnId, state.lastEventId, options.signal);
    if ('error' in replay) {
      stream = undefined;
      error = replay.error;
    } else if (replay.status === 200) {
      stream = replay;
    } else {
      throw new ResumeError(
        `replayExecution answered ${replay.status} after the stream dropped`,
        state.lastEventId,
        replay,
        error,
      );
    }
  }
}
