import type { EngineEvent, TaskEvent, TaskRequest } from '@agentplane/contracts';
import { mapEngineEvent } from './engine-to-task.js';

type EndReason = 'end_turn' | 'max_turns' | 'max_tokens' | 'canceled';

/** How a relayed turn ended: a terminal task event and the status it gives the task. */
export interface TurnOutcome {
  to: 'completed' | 'failed' | 'cancelled';
  terminal: TaskEvent;
}

/** The relay's running tallies, kept across a resume (tokens so far, last engine seq). */
export interface RelayState {
  tokens: number;
  engineSeq: number;
  firstTokenAt: number | undefined;
}

export function endEvent(state: RelayState, reason: EndReason): TaskEvent {
  const decode = Math.round(
    state.firstTokenAt === undefined ? 0 : performance.now() - state.firstTokenAt,
  );
  return {
    event: 'end',
    tokens_out: state.tokens,
    decode_ms: decode,
    decode_time_ms: decode,
    stop_reason: reason,
    ...(reason === 'canceled' ? { canceled: true } : {}),
  };
}

/**
 * Relays one engine stream into `push` (token indexes continue from `state.tokens`), until its
 * terminal event, `max_tokens`, or the stream's end; the caller writes the outcome. Engine events
 * at or before `state.engineSeq` (already relayed before a resume) are skipped.
 */
export async function relayTurn(
  events: AsyncIterable<EngineEvent>,
  state: RelayState,
  request: TaskRequest,
  push: (events: readonly TaskEvent[], engineSeq: number, tokens: number) => void,
  stopTurn: () => void,
): Promise<TurnOutcome> {
  let capped = false;
  for await (const ev of events) {
    if (ev.seq <= state.engineSeq) {
      continue;
    }
    state.engineSeq = ev.seq;
    const mapped = mapEngineEvent(ev, state.tokens, request.engine);
    if (mapped.kind === 'events') {
      for (const e of mapped.events) {
        if (e.event === 'token') {
          state.firstTokenAt ??= performance.now();
          state.tokens += 1;
        }
      }
      push(mapped.events, state.engineSeq, state.tokens);
      if (state.tokens >= request.max_tokens) {
        capped = true;
        break;
      }
      continue;
    }
    if (mapped.kind === 'completed') {
      return { to: 'completed', terminal: endEvent(state, mapped.stopReason) };
    }
    if (mapped.kind === 'errored') {
      return { to: 'failed', terminal: mapped.event };
    }
    return { to: 'cancelled', terminal: endEvent(state, 'canceled') };
  }
  if (capped) {
    // Stopped only once the loop has closed the stream: aborting it first made that close
    // reject with the abort, and the turn ended as WORKER_RESET instead of max_tokens.
    // No silent truncation: the end says why it stopped.
    stopTurn();
    return { to: 'completed', terminal: endEvent(state, 'max_tokens') };
  }
  return {
    to: 'failed',
    terminal: {
      event: 'error',
      code: 'WORKER_RESET',
      message: 'The engine’s stream ended without a terminal event',
      retriable: true,
      engine: request.engine,
    },
  };
}
