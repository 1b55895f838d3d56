import type {
  ErrorEvent,
  TextDeltaEvent,
  ThinkingDeltaEvent,
  ThreadCancelledEvent,
  ThreadCompletedEvent,
  ThreadErroredEvent,
  ToolCallEvent,
  ToolResultEvent,
  UsageEvent,
} from '@agentplane/contracts';

/** Fields the host stamps on every event: it owns the task, the turn and the sequence. */
export type EnvelopeField = 'task_id' | 'turn_id' | 'seq';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Events the loop emits while it runs. */
export type LoopDataEvent = DistributiveOmit<
  TextDeltaEvent | ThinkingDeltaEvent | ToolCallEvent | ToolResultEvent | UsageEvent | ErrorEvent,
  EnvelopeField
>;

/**
 * The loop's last event. `thread.completed` lacks `assistant_message_id` too: only the host
 * knows it, once it has stored the reply (it can do so inside `emit`, which is awaited).
 */
export type LoopTerminalEvent =
  | Omit<ThreadCompletedEvent, EnvelopeField | 'assistant_message_id'>
  | Omit<ThreadErroredEvent, EnvelopeField>
  | Omit<ThreadCancelledEvent, EnvelopeField>;

/**
 * What `runAgentLoop` emits: the contracts' EngineEvent minus what the host adds. The host
 * stamps `{ task_id, turn_id, seq }` (and `assistant_message_id` on `thread.completed`), then
 * `EngineEvent.parse` accepts it. `thread.started` and the `hitl_*` events are the host's own.
 */
export type LoopEvent = LoopDataEvent | LoopTerminalEvent;

export type LoopEventName = LoopEvent['event'];

export type CancelReason = ThreadCancelledEvent['reason'];

const CANCEL_REASONS: readonly string[] = ['client_disconnect', 'cancel_request', 'shutdown'];

/**
 * The reason a run was cancelled: abort the run's signal with one of the contract's reasons
 * (`controller.abort('shutdown')`); anything else counts as `cancel_request`.
 */
export function cancelReasonOf(signal: AbortSignal): CancelReason {
  const reason: unknown = signal.reason;
  return typeof reason === 'string' && CANCEL_REASONS.includes(reason)
    ? (reason as CancelReason)
    : 'cancel_request';
}

export function isLoopTerminal(event: LoopEvent): event is LoopTerminalEvent {
  return (
    event.event === 'thread.completed' ||
    event.event === 'thread.errored' ||
    event.event === 'thread.cancelled'
  );
}
