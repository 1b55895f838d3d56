/**
 * The variables that would make a service (or the engines orchestratord starts) call a real
 * model, cleared for a spawned process: whatever keys this machine has, the built-in mock
 * model answers.
 */
export const NO_LLM_KEYS = {
  LLM_BASE_URL: undefined,
  LLM_API_KEY: undefined,
  OPENAI_API_KEY: undefined,
  ANTHROPIC_API_KEY: undefined,
  GEMINI_API_KEY: undefined,
} as const;
