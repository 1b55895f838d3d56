import { createMockLlm } from './mock.js';
import { createOpenAiLlm } from './openai.js';
import type { LlmClient } from './types.js';

/** The model name that always means the built-in mock, whatever provider is configured. */
export const MOCK_MODEL = 'mock';

/** The variables {@link selectLlm} reads; pass the service's parsed config or `process.env`. */
export interface LlmEnv {
  LLM_BASE_URL?: string | undefined;
  LLM_API_KEY?: string | undefined;
  OPENAI_API_KEY?: string | undefined;
  ANTHROPIC_API_KEY?: string | undefined;
  GEMINI_API_KEY?: string | undefined;
}

export type LlmProvider = 'custom' | 'openai' | 'anthropic' | 'gemini' | 'mock';

export interface SelectedLlm {
  client: LlmClient;
  provider: LlmProvider;
  /** Where calls go (`mock` for the built-in model); safe to log: no key, no URL credentials. */
  baseURL: string;
}

export interface SelectLlmOptions {
  /** Passed to the OpenAI-compatible client (inactivity time-out of one call). */
  timeoutMs?: number;
}

const VENDORS = [
  { provider: 'openai', key: 'OPENAI_API_KEY', baseURL: 'https://api.openai.com/v1' },
  { provider: 'anthropic', key: 'ANTHROPIC_API_KEY', baseURL: 'https://api.anthropic.com/v1/' },
  {
    provider: 'gemini',
    key: 'GEMINI_API_KEY',
    baseURL: 'https://generativelanguage.googleapis.com/v1beta/openai/',
  },
] as const;

/** Drops `user:password@` so the URL can be logged. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
}

/** Requests for the model named `mock` go to the mock; the rest to the provider. */
function withMockModel(client: LlmClient, mock: LlmClient): LlmClient {
  return { stream: (req) => (req.model === MOCK_MODEL ? mock : client).stream(req) };
}

function present(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

/**
 * Picks the LLM once, at start-up, from the environment, first match wins:
 * `LLM_BASE_URL` + `LLM_API_KEY` (any OpenAI-compatible endpoint; the key may be empty for local
 * servers that need none), `OPENAI_API_KEY`, `ANTHROPIC_API_KEY`, `GEMINI_API_KEY` (those
 * vendors' OpenAI-compatible endpoints), else the built-in mock model. Whatever is chosen, a
 * request for the model `mock` (the gateway config's default) is answered by the mock.
 */
export function selectLlm(env: LlmEnv, options: SelectLlmOptions = {}): SelectedLlm {
  const mock = createMockLlm();
  const openAi = (baseURL: string, apiKey: string) =>
    withMockModel(
      createOpenAiLlm({
        baseURL,
        apiKey,
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      }),
      mock,
    );
  if (present(env.LLM_BASE_URL)) {
    const baseURL = env.LLM_BASE_URL.trim();
    // The SDK refuses an empty key; local servers (Ollama, vLLM) ignore whatever is sent.
    const apiKey = present(env.LLM_API_KEY) ? env.LLM_API_KEY.trim() : 'none';
    return { client: openAi(baseURL, apiKey), provider: 'custom', baseURL: redactUrl(baseURL) };
  }
  for (const vendor of VENDORS) {
    const key = env[vendor.key];
    if (present(key)) {
      return {
        client: openAi(vendor.baseURL, key.trim()),
        provider: vendor.provider,
        baseURL: vendor.baseURL,
      };
    }
  }
  return { client: mock, provider: 'mock', baseURL: MOCK_MODEL };
}
