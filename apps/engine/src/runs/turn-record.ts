import type { AgentLoopResult, ChatMessage } from '@agentplane/agent-loop';
import type { ToolCallEvent, ToolResultEvent } from '@agentplane/contracts/engine';
import type { MessageStatus, NewMessage, NewToolCall } from '../brain/history-types.js';

interface ToolTrace {
  arguments: Record<string, unknown>;
  startedAt: number;
  finishedAt?: number;
  output?: unknown;
  error?: ToolResultEvent['error'];
}

/** Collects, from the stream, what the brain records per tool call (times, result, status). */
export interface ToolTraces {
  call(event: Pick<ToolCallEvent, 'tool_call_id' | 'arguments'>, at: number): void;
  result(event: Pick<ToolResultEvent, 'tool_call_id' | 'output' | 'error'>, at: number): void;
  get(id: string): ToolTrace | undefined;
}

export function createToolTraces(): ToolTraces {
  const traces = new Map<string, ToolTrace>();
  return {
    call(event, at) {
      traces.set(event.tool_call_id, { arguments: event.arguments, startedAt: at });
    },
    result(event, at) {
      const trace = traces.get(event.tool_call_id);
      if (trace) {
        trace.finishedAt = at;
        trace.output = event.output;
        trace.error = event.error;
      }
    },
    get: (id) => traces.get(id),
  };
}

const STATUS_OF: Record<AgentLoopResult['status'], MessageStatus> = {
  completed: 'complete',
  cancelled: 'interrupted',
  errored: 'errored',
};

function parseArgs(text: string): unknown {
  try {
    return JSON.parse(text === '' ? '{}' : text);
  } catch {
    return { _raw: text };
  }
}

function toolCallRecord(
  call: { id: string; name: string; arguments: string },
  traces: ToolTraces,
  at: number,
): NewToolCall {
  const trace = traces.get(call.id);
  const error =
    trace?.finishedAt === undefined ? { code: 'TOOL_ERROR', message: 'not run' } : trace.error;
  return {
    id: call.id,
    name: call.name,
    arguments: trace?.arguments ?? parseArgs(call.arguments),
    result: error ? { error } : trace?.output,
    status: !error ? 'ok' : error.code === 'TOOL_DENIED' ? 'denied' : 'error',
    startedAt: trace?.startedAt ?? at,
    finishedAt: trace?.finishedAt ?? at,
  };
}

export interface TurnRecordInput {
  result: AgentLoopResult;
  traces: ToolTraces;
  newId: () => string;
  now: number;
}

/**
 * The messages a turn adds after its user message, ready for `appendTurn`, and the id of the
 * last assistant message (`assistant_message_id`). A turn that did not complete keeps its
 * partial output, every message marked `interrupted` (cancelled) or `errored`; a tool call left
 * without a result gets one saying it was not run, so the history stays valid for the next call.
 */
export function turnRecord({ result, traces, newId, now }: TurnRecordInput): {
  messages: NewMessage[];
  assistantMessageId: string | undefined;
} {
  const status = STATUS_OF[result.status];
  const messages: NewMessage[] = [];
  let assistantMessageId: string | undefined;
  const answered = new Set<string>();
  const open: Array<{ id: string }> = [];
  for (const m of result.messages as ChatMessage[]) {
    if (m.role === 'assistant') {
      assistantMessageId = newId();
      const calls = m.tool_calls ?? [];
      messages.push({
        id: assistantMessageId,
        role: 'assistant',
        content: m.content,
        status,
        ...(calls.length > 0
          ? { toolCalls: calls.map((c) => toolCallRecord(c, traces, now)) }
          : {}),
      });
      open.push(...calls);
    } else if (m.role === 'tool') {
      answered.add(m.tool_call_id);
      messages.push({ role: 'tool', content: m.content, toolCallId: m.tool_call_id, status });
    }
  }
  for (const call of open) {
    if (!answered.has(call.id)) {
      const content = JSON.stringify({
        error: { code: 'TOOL_ERROR', message: 'not run: turn ended' },
      });
      messages.push({ role: 'tool', content, toolCallId: call.id, status });
    }
  }
  return { messages, assistantMessageId };
}
