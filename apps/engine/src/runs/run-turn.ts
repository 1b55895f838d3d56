import { setImmediate as nextMacrotask } from 'node:timers/promises';
import {
  type AgentLoopResult,
  type ChatMessage,
  isLoopTerminal,
  type LoopEvent,
  type LoopTerminalEvent,
  runAgentLoop,
} from '@agentplane/agent-loop';
import type { EngineEvent } from '@agentplane/contracts/engine';
import type { Logger } from '@agentplane/http-kit';
import type { ConversationStore } from '../brain/conversation-store.js';
import { HistoryError, type RerunPoint } from '../brain/history-types.js';
import type { Catalog } from '../catalog/load-catalog.js';
import type { UsageStore } from '../usage/usage-store.js';
import type { EventLog, UnstampedEvent } from './event-log.js';
import { reuseRecordedResults } from './reuse-recorded.js';
import { systemPrompt, toChatMessages, userContent } from './run-messages.js';
import type { RunMetrics } from './run-metrics.js';
import type { CancelReason, RunContext, RunDeps, RunPlan } from './run-types.js';
import { createToolTraces, turnRecord } from './turn-record.js';

export interface TurnDeps
  extends Pick<RunDeps, 'llm' | 'tools' | 'approver' | 'heartbeatMs' | 'maxEventsPerTurn'> {
  conversations: ConversationStore;
  usage: UsageStore;
  catalog: Catalog;
  metrics: RunMetrics;
}

export interface TurnHandle {
  plan: RunPlan;
  log: EventLog;
  signal: AbortSignal;
  /** Why the run was aborted (the loop only knows the contract's three generic reasons). */
  cancelReason(): CancelReason | undefined;
  logger: Logger;
}

/** The first event of every turn (also of one that ends before it could start). */
export function startedEvent(plan: RunPlan, userMessageId: string): UnstampedEvent {
  return {
    event: 'thread.started',
    agent: plan.agent.id,
    model: plan.model,
    user_message_id: userMessageId,
    started_at: new Date().toISOString(),
  };
}

const seconds = (since: number) => (performance.now() - since) / 1000;

/** Writes the edit/retry re-run point (the new user message) or nothing for a plain turn. */
function writeRerun(store: ConversationStore, plan: RunPlan): RerunPoint | undefined {
  const { body, turnId } = plan;
  if (body.edit_message_id !== null) {
    return store.editUserMessage(body.edit_message_id, body.message, turnId);
  }
  if (body.retry_message_id !== null) {
    return store.retryAssistantTurn(body.retry_message_id, turnId);
  }
  return undefined;
}

/**
 * Runs one accepted turn into its log: thread.started, the loop's events (usage recorded per
 * model call), then — once the turn is stored — exactly one terminal event. Never throws.
 */
export async function runTurn(
  handle: TurnHandle,
  deps: TurnDeps,
): Promise<AgentLoopResult['status']> {
  const { plan, log } = handle;
  const { conversations } = deps;
  const append = (event: UnstampedEvent): EngineEvent => log.append(event);
  const started = (userMessageId: string) => append(startedEvent(plan, userMessageId));

  let rerun: RerunPoint | undefined;
  try {
    rerun = plan.rerun ?? writeRerun(conversations, plan);
  } catch (err) {
    // Only a queued turn gets here: an immediate one wrote (and failed) before its stream opened.
    const message = err instanceof HistoryError ? err.message : 'the turn could not start';
    handle.logger.warn({ err }, 'turn could not start');
    started(plan.userMessageId);
    append({ event: 'thread.errored', code: 'INTERNAL_ERROR', message, retriable: false });
    return 'errored';
  }
  const userMessageId = rerun?.userMessage.id ?? plan.userMessageId;
  started(userMessageId);
  const firstEvent = seconds(plan.receivedAt);
  // The rest waits for the next event-loop turn. start() runs inside the request's handler, so
  // the route writes thread.started right after this returns, and a burst of requests that
  // arrived together all get theirs before any turn reads its history and starts the model
  // (measured: this work in the handler delayed every later request's first event).
  await nextMacrotask();
  deps.metrics.firstEvent(firstEvent);
  const heartbeat = setInterval(() => {
    if (!log.finished) {
      append({ event: 'heartbeat' });
    }
  }, deps.heartbeatMs);
  heartbeat.unref();
  try {
    return await runLoop(handle, deps, { rerun, userMessageId });
  } finally {
    clearInterval(heartbeat);
  }
}

/** After thread.started: the prompt, the loop, the usage rows, then the stored turn. */
async function runLoop(
  handle: TurnHandle,
  deps: TurnDeps,
  { rerun, userMessageId }: { rerun: RerunPoint | undefined; userMessageId: string },
): Promise<AgentLoopResult['status']> {
  const { plan, log } = handle;
  const { conversations } = deps;
  // The event cap: the last event that fits stops the loop (the terminal always fits after it);
  // what the loop still emits while it winds down is dropped.
  const limit = new AbortController();
  const signal = AbortSignal.any([handle.signal, limit.signal]);
  const append = (event: UnstampedEvent): void => {
    if (limit.signal.aborted) {
      return;
    }
    log.append(event);
    if (log.size >= deps.maxEventsPerTurn - 1) {
      limit.abort();
    }
  };
  const history = toChatMessages(conversations.activeHistory(plan.conversationId));
  const messages: ChatMessage[] = [
    { role: 'system', content: systemPrompt(deps.catalog.soul, plan.agent) },
    ...history,
  ];
  if (rerun === undefined) {
    messages.push(userContent(plan.body.message, plan.body.media));
  } else if (plan.body.media.length > 0 && plan.body.edit_message_id !== null) {
    // The edited message is already in the history (text only); attach this request's media.
    messages.splice(messages.length - 1, 1, userContent(plan.body.message, plan.body.media));
  }

  const ctx: RunContext = {
    taskId: plan.body.task_id,
    turnId: plan.turnId,
    conversationId: plan.conversationId,
    signal,
    // Read on use: the run's child logger is only made when something logs.
    get log() {
      return handle.logger;
    },
    emit: (event) => {
      // A late HITL timer (an expiry after a cancel) must not write past the terminal event.
      if (!log.finished) {
        append(event);
      }
    },
  };
  const traces = createToolTraces();
  let firstToken = true;
  let terminal: LoopTerminalEvent | undefined;
  const onEvent = (event: LoopEvent): void => {
    if (isLoopTerminal(event)) {
      // Held back: the turn is stored first, so a client that sees the terminal can edit/retry.
      terminal = event;
      return;
    }
    switch (event.event) {
      case 'text_delta':
      case 'thinking_delta':
        if (firstToken) {
          firstToken = false;
          deps.metrics.firstToken(seconds(plan.receivedAt));
        }
        break;
      case 'usage':
        deps.usage.record({
          task_id: plan.body.task_id,
          model: event.model,
          input_tokens: event.input_tokens,
          output_tokens: event.output_tokens,
          cache_hit_tokens: event.cache_hit_tokens,
        });
        deps.metrics.tokens(event);
        break;
      case 'tool_call':
        traces.call(event, Date.now());
        break;
      case 'tool_result':
        traces.result(event, Date.now());
        deps.metrics.tool(event.tool, event.duration_ms / 1000);
        break;
    }
    append(event);
  };

  const result = await runAgentLoop({
    llm: deps.llm,
    model: plan.model,
    messages,
    tools: reuseRecordedResults(
      deps.tools?.(plan.config, plan.agent, ctx) ?? new Map(),
      conversations,
    ),
    maxTurns: plan.maxTurns,
    direct: plan.body.direct,
    ...(plan.reasoningEffort ? { reasoningEffort: plan.reasoningEffort } : {}),
    signal,
    ...(deps.approver ? { approve: deps.approver(ctx) } : {}),
    emit: onEvent,
  });
  if (result.cause !== undefined) {
    handle.logger.error({ err: result.cause }, 'agent loop failed');
  }
  if (limit.signal.aborted && !handle.signal.aborted) {
    const capped: AgentLoopResult = { ...result, status: 'errored' };
    const end: LoopTerminalEvent = {
      event: 'thread.errored',
      code: 'EVENT_LIMIT',
      message: `The turn reached ENGINE_MAX_EVENTS_PER_TURN (${deps.maxEventsPerTurn} events); its output so far is kept`,
      retriable: false,
    };
    log.append(storeAndStamp({ handle, deps, result: capped, end, rerun, userMessageId, traces }));
    return capped.status;
  }
  const end = terminal ?? result.terminal;
  log.append(storeAndStamp({ handle, deps, result, end, rerun, userMessageId, traces }));
  return result.status;
}

interface StoreInput {
  handle: TurnHandle;
  deps: TurnDeps;
  result: AgentLoopResult;
  end: LoopTerminalEvent;
  rerun: RerunPoint | undefined;
  userMessageId: string;
  traces: ReturnType<typeof createToolTraces>;
}

/** Stores the turn (partial output kept and marked) and returns the terminal event to send. */
function storeAndStamp({
  handle,
  deps,
  result,
  end,
  rerun,
  userMessageId,
  traces,
}: StoreInput): UnstampedEvent {
  const { plan } = handle;
  const store = deps.conversations;
  const record = turnRecord({ result, traces, newId: store.newMessageId, now: Date.now() });
  const messages =
    rerun === undefined
      ? [
          { id: userMessageId, role: 'user' as const, content: plan.body.message },
          ...record.messages,
        ]
      : record.messages;
  try {
    if (messages.length > 0) {
      store.appendTurn({ conversationId: plan.conversationId, turnId: plan.turnId, messages });
    }
  } catch (err) {
    handle.logger.error({ err }, 'turn could not be stored');
    return {
      event: 'thread.errored',
      code: 'INTERNAL_ERROR',
      message: 'the turn could not be stored',
      retriable: true,
    };
  }
  switch (end.event) {
    case 'thread.completed':
      return { ...end, assistant_message_id: record.assistantMessageId ?? userMessageId };
    case 'thread.cancelled':
      return { ...end, reason: handle.cancelReason() ?? end.reason };
    default:
      return end;
  }
}
