import { isLlmError, type LlmClient } from '@agentplane/agent-loop';
import type { TokenUsage } from '@agentplane/contracts';
import { type AgentTool, builtinDefinition, ToolError } from './agent-tool.js';

export interface AiCompleteOptions {
  client: LlmClient;
  /** The model every completion uses. */
  model: string;
  /** Bound on one completion. */
  timeoutMs: number;
}

// LlmRequest carries no token limit, so max_tokens is enforced on the stream: about four
// characters a token (OpenAI's rule of thumb), the stream closed once past it.
const CHARS_PER_TOKEN = 4;

/** `ai.complete`: one completion (no tools) through the service's LLM client, text collected. */
export function aiCompleteTool(options: AiCompleteOptions): AgentTool {
  return {
    capability: 'ai',
    sideEffecting: false,
    definition: builtinDefinition({
      name: 'ai.complete',
      description:
        'Asks a language model for one completion of `prompt` (optionally with a system prompt).',
      input_schema: {
        type: 'object',
        properties: {
          prompt: { type: 'string', minLength: 1, maxLength: 200_000 },
          system: { type: 'string', maxLength: 50_000 },
          max_tokens: { type: 'integer', minimum: 1, maximum: 32_000 },
        },
        required: ['prompt'],
        additionalProperties: false,
      },
      timeout_ms: options.timeoutMs,
    }),
    async run(input, ctx) {
      const system = typeof input.system === 'string' ? input.system : undefined;
      const maxChars =
        typeof input.max_tokens === 'number' ? input.max_tokens * CHARS_PER_TOKEN : Infinity;
      let text = '';
      let usage: TokenUsage | undefined;
      let finish: string | undefined;
      try {
        const stream = options.client.stream({
          model: options.model,
          messages: [
            ...(system === undefined ? [] : [{ role: 'system' as const, content: system }]),
            { role: 'user', content: String(input.prompt) },
          ],
          signal: ctx.signal,
        });
        for await (const chunk of stream) {
          if (chunk.type === 'text') {
            text += chunk.text;
            if (text.length >= maxChars) {
              // Leaving the loop closes the stream (and the request behind it).
              return {
                model: options.model,
                text: text.slice(0, maxChars),
                finish_reason: 'length',
                truncated: true,
              };
            }
          } else if (chunk.type === 'usage') {
            usage = chunk.usage;
          } else if (chunk.type === 'finish') {
            finish = chunk.reason;
          }
        }
      } catch (err) {
        if (ctx.signal.aborted) {
          throw err;
        }
        if (isLlmError(err)) {
          const code = err.code === 'LLM_TIMEOUT' ? 'TIMEOUT' : 'UPSTREAM_ERROR';
          throw new ToolError(
            code,
            `ai.complete: ${err.message}`,
            { llm_code: err.code, retriable: err.retriable },
            { cause: err },
          );
        }
        throw err;
      }
      return {
        model: options.model,
        text,
        finish_reason: finish ?? 'stop',
        truncated: false,
        ...(usage === undefined ? {} : { usage }),
      };
    },
  };
}
