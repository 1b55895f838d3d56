import type {
  AgentDefinition,
  ExecuteRequestBody,
  GatewayConfig,
} from '@agentplane/contracts/engine';
import { ApiError } from '@agentplane/http-kit';
import type { ConversationStore } from '../brain/conversation-store.js';
import { HistoryError } from '../brain/history-types.js';
import type { Catalog } from '../catalog/load-catalog.js';
import type { UsageStore } from '../usage/usage-store.js';
import type { RunPlan } from './run-types.js';

/** The agent used when the request names none. */
export const DEFAULT_AGENT = 'researcher';

/** 429 before anything streams when a gateway quota is used up. */
export function checkQuotas(usage: UsageStore, quotas: GatewayConfig['quotas']): void {
  const state = usage.quotaState(quotas);
  if (state.tokens_per_day !== null && state.tokens_used >= state.tokens_per_day) {
    throw new ApiError({
      code: 'QUOTA_EXCEEDED',
      message: `Daily token quota reached (${state.tokens_used}/${state.tokens_per_day})`,
      details: state,
    });
  }
  if (
    state.requests_per_minute !== null &&
    state.requests_last_minute >= state.requests_per_minute
  ) {
    throw new ApiError({
      code: 'RATE_LIMITED',
      message: `Model call rate limit reached (${state.requests_per_minute}/min)`,
      details: state,
    });
  }
}

function resolveAgent(catalog: Catalog, id: string | undefined): AgentDefinition {
  const agent =
    id === undefined
      ? (catalog.agents.get(DEFAULT_AGENT) ?? catalog.agents.values().next().value)
      : catalog.agents.get(id);
  if (agent === undefined) {
    throw new ApiError({
      code: 'NOT_FOUND',
      message: id === undefined ? 'The catalog has no agent' : `Unknown agent ${id}`,
    });
  }
  return agent;
}

/** A HistoryError as the envelope the contract declares (404 / 400 / 409). */
export function historyApiError(err: HistoryError): ApiError {
  switch (err.reason) {
    case 'unknown_message':
      return new ApiError({ code: 'NOT_FOUND', message: err.message });
    case 'superseded':
      return new ApiError({ code: 'CONFLICT', message: err.message });
    case 'wrong_role':
    case 'no_user_message':
      return new ApiError({ code: 'VALIDATION_ERROR', message: err.message });
  }
}

/**
 * Read-only check of edit_message_id / retry_message_id: the message exists in this
 * conversation, has the right role and is active. The write happens when the turn starts.
 */
function checkRerunTarget(
  store: ConversationStore,
  body: ExecuteRequestBody,
  conversationId: string,
) {
  const id = body.edit_message_id ?? body.retry_message_id;
  if (id === null) {
    return;
  }
  const role = body.edit_message_id !== null ? 'user' : 'assistant';
  const message = store.getMessage(id);
  if (message === undefined || message.conversationId !== conversationId) {
    throw historyApiError(
      new HistoryError('unknown_message', `no message ${id} in this conversation`),
    );
  }
  if (message.role !== role) {
    throw historyApiError(
      new HistoryError('wrong_role', `message ${id} is a ${message.role} message`),
    );
  }
  if (message.supersededAt !== null) {
    throw historyApiError(new HistoryError('superseded', `message ${id} was superseded`));
  }
}

export interface PlanInput {
  body: ExecuteRequestBody;
  config: GatewayConfig;
  catalog: Catalog;
  conversations: ConversationStore;
  receivedAt: number;
}

/** Everything decided before the stream opens; throws the request's error envelope. */
export function planRun({ body, config, catalog, conversations, receivedAt }: PlanInput): RunPlan {
  const agent = resolveAgent(catalog, body.agent);
  const conversationId = body.conversation_id ?? body.task_id;
  checkRerunTarget(conversations, body, conversationId);
  const base = config.models[agent.model] ?? config.models.default;
  return {
    body,
    conversationId,
    turnId: conversations.newTurnId(),
    userMessageId: conversations.newMessageId(),
    config,
    agent,
    model: body.super_thinking ? (config.super_thinking.model ?? base) : base,
    reasoningEffort: body.super_thinking ? config.super_thinking.reasoning_effort : undefined,
    maxTurns: Math.min(body.max_turns, agent.max_turns ?? body.max_turns),
    receivedAt,
  };
}
