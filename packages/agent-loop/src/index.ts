export {
  type CancelReason,
  cancelReasonOf,
  type EnvelopeField,
  isLoopTerminal,
  type LoopDataEvent,
  type LoopEvent,
  type LoopEventName,
  type LoopTerminalEvent,
} from './events.js';
export { type CreateMockLlmOptions, createMockLlm } from './llm/mock.js';
export { createOpenAiLlm, type OpenAiLlmOptions, toLlmError } from './llm/openai.js';
export {
  type LlmEnv,
  type LlmProvider,
  MOCK_MODEL,
  type SelectedLlm,
  type SelectLlmOptions,
  selectLlm,
} from './llm/select.js';
export {
  type ChatMessage,
  isLlmError,
  type LlmChunk,
  type LlmClient,
  type LlmContentPart,
  LlmError,
  type LlmErrorCode,
  type LlmErrorOptions,
  type LlmRequest,
  type LlmToolCall,
  type LlmToolSpec,
  type ReasoningEffort,
} from './llm/types.js';
export {
  type AgentLoopOptions,
  type AgentLoopResult,
  type AgentLoopStatus,
  runAgentLoop,
} from './loop.js';
export type { ApprovalDecision, ApprovalRequest, Approve } from './run-tools.js';
export {
  createToolRegistry,
  type RegisteredTool,
  type ToolContext,
  type ToolEntry,
  type ToolRegistry,
  type ToolRun,
  toolSpecs,
} from './tools.js';
export type { ModelResponse, TurnHooks, TurnRecord, TurnToolResult } from './turn-hooks.js';
