import type {
  HistoryMessage,
  MessageRole,
  MessageStatus,
  StoredMessage,
  StoredToolCall,
  ToolCallStatus,
} from './history-types.js';

// Row → object mapping for the conversation store, kept apart so the store reads as queries.

type Row = Record<string, unknown>;

const str = (v: unknown): string => String(v);
const strOrNull = (v: unknown): string | null => (v === null ? null : String(v));
const numOrNull = (v: unknown): number | null => (v === null ? null : Number(v));

export function toToolCall(row: Row): StoredToolCall {
  return {
    messageId: str(row.message_id),
    id: str(row.id),
    name: str(row.name),
    arguments: JSON.parse(str(row.arguments)),
    result: row.result === null ? null : JSON.parse(str(row.result)),
    status: str(row.status) as ToolCallStatus,
    startedAt: Number(row.started_at),
    finishedAt: Number(row.finished_at),
    durationMs: Number(row.duration_ms),
  };
}

export function toMessage(row: Row, toolCalls: StoredToolCall[] = []): StoredMessage {
  return {
    id: str(row.id),
    conversationId: str(row.conversation_id),
    turnId: str(row.turn_id),
    seq: Number(row.seq),
    role: str(row.role) as MessageRole,
    content: str(row.content),
    toolCallId: strOrNull(row.tool_call_id),
    status: str(row.status) as MessageStatus,
    replacesId: strOrNull(row.replaces_id),
    createdAt: Number(row.created_at),
    supersededBy: strOrNull(row.superseded_by),
    supersededAt: numOrNull(row.superseded_at),
    toolCalls,
  };
}

/** Groups tool-call rows (ordered by message, then position) by their message id. */
export function groupToolCalls(rows: Row[]): Map<string, StoredToolCall[]> {
  const byMessage = new Map<string, StoredToolCall[]>();
  for (const row of rows) {
    const call = toToolCall(row);
    const list = byMessage.get(call.messageId);
    if (list) {
      list.push(call);
    } else {
      byMessage.set(call.messageId, [call]);
    }
  }
  return byMessage;
}

/** The shape an LLM call takes; arguments go back as the JSON text the model produced. */
export function toHistoryMessage(message: StoredMessage): HistoryMessage {
  const { role, content } = message;
  if (role === 'tool') {
    return { role, content, tool_call_id: message.toolCallId ?? '' };
  }
  if (role === 'assistant') {
    if (message.toolCalls.length === 0) {
      return { role, content };
    }
    const tool_calls = message.toolCalls.map((call) => ({
      id: call.id,
      type: 'function' as const,
      function: { name: call.name, arguments: JSON.stringify(call.arguments) },
    }));
    return { role, content, tool_calls };
  }
  return { role, content };
}
