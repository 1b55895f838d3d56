import type { DatabaseSync } from 'node:sqlite';
import { newBrainId } from './brain-ids.js';
import { groupToolCalls, toHistoryMessage, toMessage, toToolCall } from './history-rows.js';
import {
  type AppendTurnInput,
  type Conversation,
  HistoryError,
  type HistoryMessage,
  type NewMessage,
  type RerunPoint,
  type StoredMessage,
  type StoredToolCall,
} from './history-types.js';
import { inTransaction } from './transaction.js';

/** appendTurn's input plus the re-run link that only edit/retry set. */
type TurnWrite = AppendTurnInput & { messages: Array<NewMessage & { replacesId?: string }> };

export interface ConversationStore {
  /** Ids to announce (thread.started) before the turn is written; pass them to appendTurn. */
  newMessageId(): string;
  newTurnId(): string;
  /** Creates the conversation, or returns the existing one when `id` is already taken. */
  createConversation(input?: { id?: string; title?: string }): Conversation;
  getConversation(id: string): Conversation | undefined;
  /** Writes a whole turn (messages with their tool calls) in one transaction: all or nothing. */
  appendTurn(input: AppendTurnInput): { turnId: string; messages: StoredMessage[] };
  getMessage(id: string): StoredMessage | undefined;
  /** In order; superseded messages only when asked (history views, audit). */
  listMessages(conversationId: string, opts?: { includeSuperseded?: boolean }): StoredMessage[];
  /** Active (non-superseded) messages in order, shaped for an LLM call. */
  activeHistory(conversationId: string): HistoryMessage[];
  /**
   * edit_message_id: supersedes that user message's turn and every later one. `turnId` (from
   * `newTurnId()`) names the new turn when it was announced before the write.
   */
  editUserMessage(messageId: string, newContent: string, turnId?: string): RerunPoint;
  /** retry_message_id: supersedes that assistant message's turn and every later one. */
  retryAssistantTurn(messageId: string, turnId?: string): RerunPoint;
  /** The latest recorded call with this stable id, so a re-run reuses it instead of re-running. */
  findToolCall(id: string): StoredToolCall | undefined;
}

/**
 * The conversation history in the brain. Statements are prepared once here; every write that
 * touches several rows runs in one transaction.
 *
 * ```ts
 * const history = createConversationStore(brain.db);
 * const { turnId } = history.appendTurn({ conversationId: taskId, messages: [userMsg, ...out] });
 * const messages = history.activeHistory(taskId); // → openai.chat.completions.create({ messages })
 * ```
 */
export function createConversationStore(
  db: DatabaseSync,
  now: () => number = Date.now,
): ConversationStore {
  const q = {
    insertConversation: db.prepare(
      `INSERT INTO conversations (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
    ),
    getConversation: db.prepare('SELECT * FROM conversations WHERE id = ?'),
    touchConversation: db.prepare('UPDATE conversations SET updated_at = ? WHERE id = ?'),
    maxSeq: db.prepare(
      'SELECT COALESCE(MAX(seq), 0) AS seq FROM messages WHERE conversation_id = ?',
    ),
    turnState: db.prepare(
      `SELECT conversation_id, MAX(superseded_at IS NOT NULL) AS superseded, MIN(seq) AS first_seq
       FROM messages WHERE turn_id = ?`,
    ),
    insertMessage: db.prepare(
      `INSERT INTO messages (id, conversation_id, seq, turn_id, role, content, tool_call_id,
         status, replaces_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertToolCall: db.prepare(
      `INSERT INTO tool_calls (message_id, ord, id, name, arguments, result, status, started_at,
         finished_at, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    getMessage: db.prepare('SELECT * FROM messages WHERE id = ?'),
    messageToolCalls: db.prepare('SELECT * FROM tool_calls WHERE message_id = ? ORDER BY ord'),
    turnUserMessage: db.prepare(
      "SELECT * FROM messages WHERE turn_id = ? AND role = 'user' ORDER BY seq LIMIT 1",
    ),
    allMessages: db.prepare('SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq'),
    activeMessages: db.prepare(
      'SELECT * FROM messages WHERE conversation_id = ? AND superseded_at IS NULL ORDER BY seq',
    ),
    allToolCalls: db.prepare(
      `SELECT tc.* FROM messages m JOIN tool_calls tc ON tc.message_id = m.id
       WHERE m.conversation_id = ? ORDER BY m.seq, tc.ord`,
    ),
    activeToolCalls: db.prepare(
      `SELECT tc.* FROM messages m JOIN tool_calls tc ON tc.message_id = m.id
       WHERE m.conversation_id = ? AND m.superseded_at IS NULL ORDER BY m.seq, tc.ord`,
    ),
    supersedeFrom: db.prepare(
      `UPDATE messages SET superseded_by = ?, superseded_at = ?
       WHERE conversation_id = ? AND seq >= ? AND superseded_at IS NULL`,
    ),
    findToolCall: db.prepare(
      'SELECT * FROM tool_calls WHERE id = ? ORDER BY started_at DESC, finished_at DESC LIMIT 1',
    ),
  };

  const toConversation = (row: Record<string, unknown>): Conversation => ({
    id: String(row.id),
    title: row.title === null ? null : String(row.title),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  });

  const getMessage = (id: string): StoredMessage | undefined => {
    const row = q.getMessage.get(id);
    return row && toMessage(row, q.messageToolCalls.all(id).map(toToolCall));
  };

  const listMessages = (conversationId: string, opts: { includeSuperseded?: boolean } = {}) => {
    const [messages, calls] = opts.includeSuperseded
      ? [q.allMessages, q.allToolCalls]
      : [q.activeMessages, q.activeToolCalls];
    const byMessage = groupToolCalls(calls.all(conversationId));
    return messages.all(conversationId).map((row) => toMessage(row, byMessage.get(String(row.id))));
  };

  /** The active, addressable message `id`, or the reason it cannot be edited/retried. */
  const activeMessage = (id: string, role: 'user' | 'assistant'): StoredMessage => {
    const message = getMessage(id);
    if (!message) {
      throw new HistoryError('unknown_message', `no message ${id}`);
    }
    if (message.role !== role) {
      throw new HistoryError('wrong_role', `message ${id} is a ${message.role} message`);
    }
    if (message.supersededAt !== null) {
      throw new HistoryError('superseded', `message ${id} was superseded`);
    }
    return message;
  };

  /** Marks `turnId` and every later turn superseded and opens a new turn with `content`. */
  const rerun = (
    turnId: string,
    content: string,
    replacesId: string,
    newTurnId = newBrainId('turn'),
  ): RerunPoint =>
    inTransaction(db, () => {
      const turn = q.turnState.get(turnId);
      const conversationId = String(turn?.conversation_id);
      const at = now();
      const fromSeq = Number(turn?.first_seq);
      const { changes } = q.supersedeFrom.run(newTurnId, at, conversationId, fromSeq);
      const { messages } = appendTurn({
        conversationId,
        turnId: newTurnId,
        messages: [{ role: 'user', content, replacesId }],
      });
      const [userMessage] = messages as [StoredMessage];
      return { conversationId, turnId: newTurnId, userMessage, superseded: Number(changes) };
    });

  const appendTurn = ({ conversationId, turnId = newBrainId('turn'), messages }: TurnWrite) => {
    if (messages.length === 0) {
      throw new RangeError('a turn needs at least one message');
    }
    return inTransaction(db, () => {
      const at = now();
      q.insertConversation.run(conversationId, null, at, at);
      const turn = q.turnState.get(turnId);
      if (turn?.conversation_id != null && turn.conversation_id !== conversationId) {
        throw new RangeError(`turn ${turnId} belongs to another conversation`);
      }
      if (turn?.superseded) {
        throw new HistoryError('superseded', `turn ${turnId} was superseded`);
      }
      let seq = Number(q.maxSeq.get(conversationId)?.seq);
      const ids: string[] = [];
      for (const m of messages) {
        if (m.toolCalls?.length && m.role !== 'assistant') {
          throw new RangeError('only assistant messages carry tool calls');
        }
        const id = m.id ?? newBrainId('message', at);
        seq += 1;
        q.insertMessage.run(
          id,
          conversationId,
          seq,
          turnId,
          m.role,
          m.content,
          m.toolCallId ?? null,
          m.status ?? 'complete',
          m.replacesId ?? null,
          at,
        );
        m.toolCalls?.forEach((call, ord) => {
          const result = call.result === undefined ? null : JSON.stringify(call.result);
          q.insertToolCall.run(
            id,
            ord,
            call.id,
            call.name,
            JSON.stringify(call.arguments ?? {}),
            result,
            call.status,
            call.startedAt,
            call.finishedAt,
            call.finishedAt - call.startedAt,
          );
        });
        ids.push(id);
      }
      q.touchConversation.run(at, conversationId);
      return { turnId, messages: ids.map((id) => getMessage(id) as StoredMessage) };
    });
  };

  return {
    newMessageId: () => newBrainId('message'),
    newTurnId: () => newBrainId('turn'),
    createConversation: ({ id = newBrainId('conversation'), title } = {}) => {
      const at = now();
      q.insertConversation.run(id, title ?? null, at, at);
      // The row exists now: inserted here or earlier (ON CONFLICT DO NOTHING).
      return toConversation(q.getConversation.get(id) as Record<string, unknown>);
    },
    getConversation: (id) => {
      const row = q.getConversation.get(id);
      return row && toConversation(row);
    },
    appendTurn,
    getMessage,
    listMessages,
    activeHistory: (conversationId) => listMessages(conversationId).map(toHistoryMessage),
    editUserMessage: (messageId, newContent, turnId) => {
      const target = activeMessage(messageId, 'user');
      return rerun(target.turnId, newContent, target.id, turnId);
    },
    retryAssistantTurn: (messageId, turnId) => {
      const target = activeMessage(messageId, 'assistant');
      const user = q.turnUserMessage.get(target.turnId);
      if (!user) {
        throw new HistoryError('no_user_message', `turn of ${messageId} has no user message`);
      }
      return rerun(target.turnId, String(user.content), String(user.id), turnId);
    },
    findToolCall: (id) => {
      const row = q.findToolCall.get(id);
      return row && toToolCall(row);
    },
  };
}
