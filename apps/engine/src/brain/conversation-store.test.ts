import { createTmpDir, type TmpDir } from '@agentplane/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConversationStore } from './conversation-store.js';
import { HistoryError, type NewMessage } from './history-types.js';
import { type Brain, openBrain } from './open-brain.js';

let dir: TmpDir;
let brain: Brain;
let path: string;

beforeEach(async () => {
  dir = await createTmpDir('brain-history-');
  path = `${dir.path}/brain.sqlite`;
  brain = openBrain(path);
});
afterEach(async () => {
  brain.close();
  await dir.remove();
});

/** user → assistant asks for a tool → tool answers → assistant replies. */
function toolTurn(question: string, answer: string, callId: string): NewMessage[] {
  return [
    { role: 'user', content: question },
    {
      role: 'assistant',
      content: '',
      toolCalls: [
        {
          id: callId,
          name: 'memory.search',
          arguments: { query: question },
          result: { hits: [] },
          status: 'ok',
          startedAt: 1_000,
          finishedAt: 1_025,
        },
      ],
    },
    { role: 'tool', content: '{"hits":[]}', toolCallId: callId },
    { role: 'assistant', content: answer },
  ];
}

const textTurn = (question: string, answer: string): NewMessage[] => [
  { role: 'user', content: question },
  { role: 'assistant', content: answer },
];

const count = (table: string) =>
  Number(brain.db.prepare(`SELECT count(*) AS n FROM ${table}`).get()?.n);

function expectHistoryError(fn: () => unknown, reason: HistoryError['reason']) {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(HistoryError);
    expect((err as HistoryError).reason).toBe(reason);
    return;
  }
  expect.fail(`expected HistoryError(${reason})`);
}

describe('conversation store', () => {
  it('appends turns and gives an LLM-shaped history that survives a reopen', () => {
    const history = createConversationStore(brain.db);
    history.appendTurn({ conversationId: 'task-1', messages: toolTurn('hi', 'hello', 'call_1') });
    history.appendTurn({ conversationId: 'task-1', messages: textTurn('and?', 'that is all') });
    expect(history.getConversation('task-1')?.id).toBe('task-1');
    brain.close();

    brain = openBrain(path);
    expect(brain.applied).toEqual([]);
    const reopened = createConversationStore(brain.db);
    expect(reopened.activeHistory('task-1')).toEqual([
      { role: 'user', content: 'hi' },
      {
        role: 'assistant',
        content: '',
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'memory.search', arguments: '{"query":"hi"}' },
          },
        ],
      },
      { role: 'tool', content: '{"hits":[]}', tool_call_id: 'call_1' },
      { role: 'assistant', content: 'hello' },
      { role: 'user', content: 'and?' },
      { role: 'assistant', content: 'that is all' },
    ]);
    expect(reopened.findToolCall('call_1')).toMatchObject({
      name: 'memory.search',
      result: { hits: [] },
      status: 'ok',
      durationMs: 25,
    });
  });

  it('uses pre-minted ids and adds an answer to an existing turn', () => {
    const history = createConversationStore(brain.db);
    const userId = history.newMessageId();
    const turnId = history.newTurnId();
    expect(userId).toMatch(/^msg_[0-9A-Z]{22}$/);
    history.appendTurn({
      conversationId: 't',
      turnId,
      messages: [{ id: userId, role: 'user', content: 'q' }],
    });
    const { messages } = history.appendTurn({
      conversationId: 't',
      turnId,
      messages: [{ role: 'assistant', content: 'a', status: 'interrupted' }],
    });
    expect(messages[0]).toMatchObject({ turnId, seq: 2, status: 'interrupted' });
    expect(history.getMessage(userId)).toMatchObject({ turnId, seq: 1, role: 'user' });
  });

  it('edit: supersedes that turn and every later one, keeps them, and re-runs from a new row', () => {
    const history = createConversationStore(brain.db);
    const first = history.appendTurn({ conversationId: 'c', messages: textTurn('q1', 'a1') });
    const second = history.appendTurn({ conversationId: 'c', messages: toolTurn('q2', 'a2', 'x') });
    history.appendTurn({ conversationId: 'c', messages: textTurn('q3', 'a3') });
    const editedId = second.messages[0]?.id ?? '';

    const rerun = history.editUserMessage(editedId, 'q2 (edited)');
    expect(rerun.superseded).toBe(6);
    expect(rerun.userMessage).toMatchObject({
      role: 'user',
      content: 'q2 (edited)',
      replacesId: editedId,
      turnId: rerun.turnId,
      supersededAt: null,
    });
    expect(history.activeHistory('c')).toEqual([
      { role: 'user', content: 'q1' },
      { role: 'assistant', content: 'a1' },
      { role: 'user', content: 'q2 (edited)' },
    ]);
    const all = history.listMessages('c', { includeSuperseded: true });
    expect(all).toHaveLength(9);
    expect(all.filter((m) => m.supersededBy === rerun.turnId).map((m) => m.content)).toEqual([
      'q2',
      '',
      '{"hits":[]}',
      'a2',
      'q3',
      'a3',
    ]);
    expect(first.messages.every((m) => history.getMessage(m.id)?.supersededAt === null)).toBe(true);
    // The superseded assistant message keeps its tool calls for audit.
    expect(history.getMessage(second.messages[1]?.id ?? '')?.toolCalls).toHaveLength(1);

    history.appendTurn({
      conversationId: 'c',
      turnId: rerun.turnId,
      messages: [{ role: 'assistant', content: 'a2 again' }],
    });
    expect(history.activeHistory('c').slice(-2)).toEqual([
      { role: 'user', content: 'q2 (edited)' },
      { role: 'assistant', content: 'a2 again' },
    ]);
    // A late write into a superseded turn (a stale run) is refused.
    expectHistoryError(
      () =>
        history.appendTurn({
          conversationId: 'c',
          turnId: second.turnId,
          messages: [{ role: 'assistant', content: 'stale' }],
        }),
      'superseded',
    );
  });

  it('retry: supersedes the assistant turn and later ones and re-runs its user message', () => {
    const history = createConversationStore(brain.db);
    history.appendTurn({ conversationId: 'c', messages: textTurn('q1', 'a1') });
    const second = history.appendTurn({ conversationId: 'c', messages: toolTurn('q2', 'a2', 'y') });
    history.appendTurn({ conversationId: 'c', messages: textTurn('q3', 'a3') });
    const finalAnswer = second.messages[3]?.id ?? '';

    const rerun = history.retryAssistantTurn(finalAnswer);
    expect(rerun.superseded).toBe(6);
    expect(rerun.userMessage).toMatchObject({
      content: 'q2',
      replacesId: second.messages[0]?.id,
    });
    expect(history.activeHistory('c').map((m) => m.content)).toEqual(['q1', 'a1', 'q2']);
    expect(history.getMessage(finalAnswer)).toMatchObject({ supersededBy: rerun.turnId });

    history.appendTurn({
      conversationId: 'c',
      turnId: rerun.turnId,
      messages: [{ role: 'assistant', content: 'a2 retried' }],
    });
    expect(history.activeHistory('c').map((m) => m.content)).toEqual([
      'q1',
      'a1',
      'q2',
      'a2 retried',
    ]);
    // Editing or retrying what is already superseded is refused.
    expectHistoryError(() => history.retryAssistantTurn(finalAnswer), 'superseded');
    expectHistoryError(
      () => history.editUserMessage(second.messages[0]?.id ?? '', 'x'),
      'superseded',
    );
  });

  it('rejects unknown ids and wrong roles with a typed error and writes nothing', () => {
    const history = createConversationStore(brain.db);
    const turn = history.appendTurn({ conversationId: 'c', messages: textTurn('q', 'a') });
    const [user, assistant] = turn.messages;
    expectHistoryError(() => history.editUserMessage('msg_nope', 'x'), 'unknown_message');
    expectHistoryError(() => history.retryAssistantTurn('msg_nope'), 'unknown_message');
    expectHistoryError(() => history.editUserMessage(assistant?.id ?? '', 'x'), 'wrong_role');
    expectHistoryError(() => history.retryAssistantTurn(user?.id ?? ''), 'wrong_role');
    expect(count('messages')).toBe(2);
    expect(history.activeHistory('c')).toHaveLength(2);
  });

  it('a turn that fails midway leaves no rows, not even a new conversation', () => {
    const history = createConversationStore(brain.db);
    const broken: NewMessage[] = [
      ...toolTurn('q', 'a', 'z'),
      // A tool message must name its call: the CHECK constraint throws on the fifth row.
      { role: 'tool', content: 'orphan' },
    ];
    expect(() => history.appendTurn({ conversationId: 'new', messages: broken })).toThrow();
    expect(count('messages')).toBe(0);
    expect(count('tool_calls')).toBe(0);
    expect(history.getConversation('new')).toBeUndefined();
    expect(brain.db.isTransaction).toBe(false);
  });

  it('keeps WAL mode on', () => {
    expect(brain.db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
  });
});
