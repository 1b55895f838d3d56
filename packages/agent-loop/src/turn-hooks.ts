import type { TokenUsage } from '@agentplane/contracts';
import type { ChatMessage, LlmToolCall } from './llm/types.js';

/** What one model call answered: the host checkpoints it before any tool runs. */
export interface ModelResponse {
  text: string;
  toolCalls: LlmToolCall[];
  usage: TokenUsage;
}

/** One finished tool call of a turn, as the model was given it. */
export interface TurnToolResult {
  toolCallId: string;
  tool: string;
  arguments: Record<string, unknown>;
  output?: unknown;
  error: { code: string; message: string } | null;
  durationMs: number;
}

/** A turn that ran to its end: one model call and every tool call it asked for. */
export interface TurnRecord {
  /** 1-based within this loop run. */
  turn: number;
  response: ModelResponse;
  toolResults: TurnToolResult[];
  /** The messages this turn added to the history: the assistant reply, then its tool results. */
  messages: ChatMessage[];
  durationMs: number;
}

/**
 * Host callbacks at turn boundaries, each awaited before the loop goes on, so a host can
 * checkpoint (a durable host writes the record before telling anyone the turn ended). A hook
 * that throws ends the run with INTERNAL_ERROR, like a failing `emit`.
 */
export interface TurnHooks {
  turnStart?(turn: number): Promise<void> | void;
  /** After the model answered, before its tool calls run. */
  modelResponse?(turn: number, response: ModelResponse): Promise<void> | void;
  turnEnd?(record: TurnRecord): Promise<void> | void;
}
