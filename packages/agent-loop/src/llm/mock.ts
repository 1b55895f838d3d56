import { createHash } from 'node:crypto';
import { setImmediate as nextMacrotask, setTimeout as sleep } from 'node:timers/promises';
import {
  type ChatMessage,
  type LlmChunk,
  type LlmClient,
  LlmError,
  type LlmRequest,
  type LlmToolCall,
  type LlmToolSpec,
} from './types.js';

export interface CreateMockLlmOptions {
  /**
   * Pause before each streamed token; default 0: as fast as the consumer reads, but each token
   * still waits for the next event-loop turn (see `pause` below).
   */
  tokenDelayMs?: number;
}

/** `#mock-slow` in the last user message: this pause per token, for cancel/disconnect tests. */
const SLOW_TOKEN_DELAY_MS = 50;
const REPLY_WORDS = 40;
const RESULT_CHARS = 200;

/** `#mock-steps=N`: keep calling the requested tools until the N-th model call (a long agent). */
const STEPS_DIRECTIVE = /#mock-steps=(\d{1,3})\b/;

const USE_DIRECTIVE = /\buse\s+([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+)([^\n]*)/g;

function textOf(message: ChatMessage | undefined): string {
  if (!message) {
    return '';
  }
  const { content } = message;
  if (typeof content === 'string') {
    return content;
  }
  return content.map((part) => (part.type === 'text' ? part.text : '[image]')).join(' ');
}

function wordCount(text: string): number {
  return text.match(/\S+/g)?.length ?? 0;
}

/** "a b c" → ["a ", "b ", "c"]: joined back they give the text exactly. */
function tokens(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? [];
}

/** Every top-level `{…}` in the text that parses as `{"tool": string, "arguments"?: object}`. */
function jsonDirectives(text: string): Array<{ tool: string; arguments: unknown }> {
  const found: Array<{ tool: string; arguments: unknown }> = [];
  let depth = 0;
  let start = -1;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === '{') {
      if (depth === 0) {
        start = i;
      }
      depth += 1;
    } else if (ch === '}' && depth > 0) {
      depth -= 1;
      if (depth === 0) {
        try {
          const value = JSON.parse(text.slice(start, i + 1)) as {
            tool?: unknown;
            arguments?: unknown;
          };
          if (typeof value.tool === 'string') {
            found.push({ tool: value.tool, arguments: value.arguments ?? {} });
          }
        } catch {
          // Not JSON: ordinary prose in braces.
        }
      }
    }
  }
  return found;
}

/** Arguments for `use <tool> rest`: `rest` in every required string property of the schema. */
function argumentsFor(tool: LlmToolSpec, rest: string): Record<string, unknown> {
  const properties = (tool.parameters.properties ?? {}) as Record<string, { type?: unknown }>;
  const required = Array.isArray(tool.parameters.required) ? tool.parameters.required : [];
  const args: Record<string, unknown> = {};
  for (const name of required) {
    if (typeof name === 'string' && properties[name]?.type === 'string') {
      args[name] = rest;
    }
  }
  return args;
}

function plannedToolCalls(req: LlmRequest, userText: string): LlmToolCall[] {
  const offered = new Map((req.tools ?? []).map((tool) => [tool.name, tool]));
  if (offered.size === 0) {
    return [];
  }
  const calls: Array<{ name: string; arguments: string }> = [];
  for (const directive of jsonDirectives(userText)) {
    if (offered.has(directive.tool)) {
      calls.push({ name: directive.tool, arguments: JSON.stringify(directive.arguments) });
    }
  }
  for (const match of userText.matchAll(USE_DIRECTIVE)) {
    const tool = offered.get(match[1] ?? '');
    if (tool) {
      const rest = (match[2] ?? '').trim();
      calls.push({ name: tool.name, arguments: JSON.stringify(argumentsFor(tool, rest)) });
    }
  }
  if (calls.length === 0) {
    return [];
  }
  // Ids depend on the whole conversation, so they are stable for the same input and distinct
  // across the turns of one conversation (the history grows).
  const digest = createHash('sha256').update(JSON.stringify(req.messages)).digest('hex');
  return calls.map((call, i) => ({ id: `call_mock_${digest.slice(0, 12)}_${i}`, ...call }));
}

function summarize(text: string, words: number): string {
  const all = text.match(/\S+/g) ?? [];
  return all.length > words ? `${all.slice(0, words).join(' ')} …` : all.join(' ');
}

function replyAfterTools(toolMessages: ChatMessage[], calls: Map<string, string>): string {
  const parts = toolMessages.map((message) => {
    const id = message.role === 'tool' ? message.tool_call_id : '';
    const content = textOf(message).replace(/\s+/g, ' ');
    const shown = content.length > RESULT_CHARS ? `${content.slice(0, RESULT_CHARS)}…` : content;
    return `${calls.get(id) ?? 'tool'} returned ${shown}`;
  });
  return `Tool results: ${parts.join('; ')}.`;
}

interface Plan {
  thinking: string | undefined;
  text: string;
  toolCalls: LlmToolCall[];
  fail: boolean;
  slow: boolean;
}

function plan(req: LlmRequest): Plan {
  const messages = req.messages;
  let lastUser = -1;
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    if (messages[i]?.role === 'user') {
      lastUser = i;
      break;
    }
  }
  const userText = textOf(messages[lastUser]);
  const after = messages.slice(lastUser + 1);
  const toolMessages = after.filter((message) => message.role === 'tool');
  const thinking = req.reasoningEffort
    ? `Thinking (${req.reasoningEffort}) about: ${summarize(userText, 12)}`
    : undefined;
  const flags = { fail: userText.includes('#mock-error'), slow: userText.includes('#mock-slow') };
  const steps = Number(STEPS_DIRECTIVE.exec(userText)?.[1] ?? 0);
  const callsSoFar = after.filter((message) => message.role === 'assistant').length;
  if (toolMessages.length > 0 && callsSoFar + 1 < steps) {
    const toolCalls = plannedToolCalls(req, userText);
    if (toolCalls.length > 0) {
      const text = `Step ${callsSoFar + 1}: calling ${toolCalls.map((c) => c.name).join(', ')}.`;
      return { thinking, text, toolCalls, ...flags };
    }
  }
  if (toolMessages.length > 0) {
    const names = new Map<string, string>();
    for (const message of after) {
      if (message.role === 'assistant') {
        for (const call of message.tool_calls ?? []) {
          names.set(call.id, call.name);
        }
      }
    }
    return { thinking, text: replyAfterTools(toolMessages, names), toolCalls: [], ...flags };
  }
  const toolCalls = plannedToolCalls(req, userText);
  const text =
    toolCalls.length > 0
      ? `Calling ${toolCalls.map((call) => call.name).join(', ')}.`
      : `Mock reply to: ${summarize(userText, REPLY_WORDS)}`;
  return { thinking, text, toolCalls, ...flags };
}

/**
 * The built-in deterministic model (`mock`): same request in, same stream out, no network.
 * Rules, applied to the request:
 *
 * 1. If tool results follow the last user message, it answers
 *    `Tool results: <tool> returned <content, first 200 chars>; …` and calls no tool.
 * 2. Otherwise it calls tools named in the last user message, when they are offered in
 *    `tools` (never with `direct`, which sends none):
 *    - every JSON object `{"tool": "<name>", "arguments": {…}}` → that call, arguments as given;
 *    - every `use <tool.name> <rest of line>` → a call whose required string properties
 *      (from the tool's schema) are all set to `<rest of line>` (e.g. `use memory.search
 *      cats` → `{"query": "cats"}`).
 *    Several directives → several calls in one response (in that order: JSON ones first).
 *    Call ids are `call_mock_<hash of the messages>_<index>`. The text is `Calling <names>.`
 * 3. Otherwise it replies `Mock reply to: <first 40 words of the last user message>`.
 * 4. `#mock-steps=N` in the last user message: rule 2's tool calls are repeated (new ids) until
 *    the N-th model call since that message, which answers as in rule 1 (N steps in all).
 *
 * The text streams word by word, one word per event-loop turn (as a provider's socket reads
 * would). With `reasoningEffort` set, a thinking chunk `Thinking (<effort>) about: <first 12
 * words>` comes first. Usage: input tokens = words in all
 * messages, cache-hit tokens = words in the system messages (the stable prefix a provider
 * would cache), output tokens = words of text plus tool arguments. `finish` is `tool_calls` or
 * `stop`. Markers in the last user message: `#mock-error` streams half the text then fails
 * with a retriable LLM_ERROR; `#mock-slow` pauses 50 ms per token.
 */
export function createMockLlm(options: CreateMockLlmOptions = {}): LlmClient {
  return {
    async *stream(req): AsyncGenerator<LlmChunk> {
      req.signal.throwIfAborted();
      const p = plan(req);
      const delay = p.slow ? SLOW_TOKEN_DELAY_MS : (options.tokenDelayMs ?? 0);
      const pause = async () => {
        if (delay > 0) {
          await sleep(delay, undefined, { signal: req.signal });
        } else {
          // A provider's tokens arrive as socket reads, one macrotask each. Without this the
          // whole reply would stream in one microtask chain and starve every other request of
          // the process (a burst of 100 /execute waited for each other's complete turns).
          await nextMacrotask();
        }
        req.signal.throwIfAborted();
      };
      if (p.thinking) {
        yield { type: 'thinking', text: p.thinking };
      }
      const parts = tokens(p.text);
      const cut = p.fail ? Math.ceil(parts.length / 2) : parts.length;
      for (const text of parts.slice(0, cut)) {
        await pause();
        yield { type: 'text', text };
      }
      if (p.fail) {
        throw new LlmError({
          code: 'LLM_ERROR',
          message: 'mock model failure (#mock-error)',
          retriable: true,
        });
      }
      for (const call of p.toolCalls) {
        yield { type: 'tool_call', call };
      }
      const input = req.messages.reduce((sum, message) => sum + wordCount(textOf(message)), 0);
      const cached = req.messages
        .filter((message) => message.role === 'system')
        .reduce((sum, message) => sum + wordCount(textOf(message)), 0);
      const output =
        wordCount(p.text) + p.toolCalls.reduce((sum, call) => sum + wordCount(call.arguments), 0);
      yield { type: 'finish', reason: p.toolCalls.length > 0 ? 'tool_calls' : 'stop' };
      yield {
        type: 'usage',
        usage: { input_tokens: input, output_tokens: output, cache_hit_tokens: cached },
      };
    },
  };
}
