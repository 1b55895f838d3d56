export type MessageRole = 'system' | 'user' | 'assistant' | 'tool';
/** `interrupted`: a turn stopped by `multitask_strategy: interrupt`; its partial output is kept. */
export type MessageStatus = 'complete' | 'interrupted' | 'errored';
export type ToolCallStatus = 'ok' | 'error' | 'denied';

export interface Conversation {
  id: string;
  title: string | null;
  createdAt: number;
  updatedAt: number;
}

/** A tool call to record with the assistant message that asked for it. Times in epoch ms. */
export interface NewToolCall {
  /** Stable id (from the loop): a re-run looks the recorded result up by it. */
  id: string;
  name: string;
  arguments: unknown;
  result?: unknown;
  status: ToolCallStatus;
  startedAt: number;
  finishedAt: number;
}

export interface NewMessage {
  /** Pre-minted with `newMessageId()` when the id must be announced before the turn is written. */
  id?: string;
  role: MessageRole;
  content: string;
  /** Only on assistant messages. */
  toolCalls?: NewToolCall[];
  /** Required on tool messages (and only there): the call this message answers. */
  toolCallId?: string;
  status?: MessageStatus;
}

export interface AppendTurnInput {
  /** Created if it does not exist yet (a task_id's first turn). */
  conversationId: string;
  /** Omit for a new turn; pass a re-run's turn id to add the answer to the user message of it. */
  turnId?: string;
  messages: NewMessage[];
}

export interface StoredToolCall extends Required<Omit<NewToolCall, 'result'>> {
  result: unknown;
  messageId: string;
  durationMs: number;
}

export interface StoredMessage {
  id: string;
  conversationId: string;
  turnId: string;
  seq: number;
  role: MessageRole;
  content: string;
  toolCallId: string | null;
  status: MessageStatus;
  /** The message this one re-runs (edit or retry), if any. */
  replacesId: string | null;
  createdAt: number;
  /** The turn that replaced this message (edit/retry), or null while it is active. */
  supersededBy: string | null;
  supersededAt: number | null;
  toolCalls: StoredToolCall[];
}

/** One entry of an LLM call's `messages`, in the OpenAI chat-completions shape. */
export type HistoryMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string; tool_calls?: HistoryToolCall[] }
  | { role: 'tool'; content: string; tool_call_id: string };

export interface HistoryToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** Where an edit or retry re-runs from: a new turn whose (new) user message is already stored. */
export interface RerunPoint {
  conversationId: string;
  turnId: string;
  userMessage: StoredMessage;
  /** How many messages were marked superseded. */
  superseded: number;
}

/**
 * Why an edit, retry or append was refused. The engine maps `unknown_message` to 404 and the
 * rest to 400 (`wrong_role`, `no_user_message`) or 409 (`superseded`).
 */
export type HistoryErrorReason =
  | 'unknown_message'
  | 'wrong_role'
  | 'superseded'
  | 'no_user_message';

export class HistoryError extends Error {
  readonly reason: HistoryErrorReason;

  constructor(reason: HistoryErrorReason, message: string) {
    super(message);
    this.name = 'HistoryError';
    this.reason = reason;
  }
}
