import type { ScriptedToolCall, ScriptedTurn } from './types.js';

/** The wire shapes this module emits, kept loose: the openai SDK is the judge of them. */
type Json = { [key: string]: unknown };

interface ResolvedToolCall {
  id: string;
  name: string;
  arguments: string;
  argumentChunks: number;
}

/** Everything about one response that does not depend on streaming or not. */
export interface ResolvedTurn {
  id: string;
  created: number;
  model: string;
  textChunks: string[];
  toolCalls: ResolvedToolCall[];
  finishReason: string;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

/** About 4 characters per token: close enough for budget code, and deterministic. */
export function approxTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** "Hello big world" → ["Hello ", "big ", "world"]. */
function splitWords(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text ? [text] : []);
}

/** Splits into `parts` pieces of near-equal length (fewer when the string is shorter). */
function splitInto(text: string, parts: number): string[] {
  if (text.length === 0) {
    return [''];
  }
  const size = Math.ceil(text.length / Math.max(1, parts));
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) {
    pieces.push(text.slice(i, i + size));
  }
  return pieces;
}

function promptText(body: Json): string {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  return messages
    .map((message: unknown) => {
      const content = (message as Json | null)?.content;
      return typeof content === 'string' ? content : JSON.stringify(content ?? '');
    })
    .join('\n');
}

export function resolveTurn(
  turn: ScriptedTurn,
  body: Json,
  ids: { completion: string; toolCall: () => string },
): ResolvedTurn {
  const textChunks = typeof turn.text === 'string' ? splitWords(turn.text) : [...(turn.text ?? [])];
  const toolCalls = (turn.toolCalls ?? []).map((call: ScriptedToolCall) => ({
    id: call.id ?? ids.toolCall(),
    name: call.name,
    arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
    argumentChunks: call.argumentChunks ?? 3,
  }));
  const completionText = textChunks.join('') + toolCalls.map((c) => c.name + c.arguments).join('');
  const prompt = turn.usage?.prompt_tokens ?? approxTokens(promptText(body));
  const completion = turn.usage?.completion_tokens ?? approxTokens(completionText);
  return {
    id: ids.completion,
    created: Math.floor(Date.now() / 1000),
    model: typeof body.model === 'string' ? body.model : 'fake-model',
    textChunks,
    toolCalls,
    finishReason: turn.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
    usage: {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: turn.usage?.total_tokens ?? prompt + completion,
    },
  };
}

/** A non-streaming `chat.completion` object. */
export function completionBody(turn: ResolvedTurn): Json {
  const text = turn.textChunks.join('');
  const message: Json = {
    role: 'assistant',
    content: text === '' && turn.toolCalls.length > 0 ? null : text,
    refusal: null,
    annotations: [],
  };
  if (turn.toolCalls.length > 0) {
    message.tool_calls = turn.toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  return {
    id: turn.id,
    object: 'chat.completion',
    created: turn.created,
    model: turn.model,
    system_fingerprint: null,
    choices: [{ index: 0, message, logprobs: null, finish_reason: turn.finishReason }],
    usage: turn.usage,
  };
}

/**
 * The deltas of a streamed response, in wire order: text chunks, then per tool call one
 * chunk with id/type/name and empty arguments followed by the argument fragments (what
 * OpenAI sends). The role chunk and the finish chunk are added by {@link streamChunks}.
 */
function contentDeltas(turn: ResolvedTurn): Json[] {
  const deltas: Json[] = turn.textChunks.map((content) => ({ content }));
  turn.toolCalls.forEach((call, index) => {
    deltas.push({
      tool_calls: [
        { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } },
      ],
    });
    for (const fragment of splitInto(call.arguments, call.argumentChunks)) {
      deltas.push({ tool_calls: [{ index, function: { arguments: fragment } }] });
    }
  });
  return deltas;
}

export interface StreamPlan {
  /** Role chunk plus content chunks: what is sent before a mid-stream error can cut in. */
  head: Json[];
  content: Json[];
  /** Finish chunk and, when asked for, the usage chunk. */
  tail: Json[];
}

/** All `chat.completion.chunk` objects of a streamed response. */
export function streamChunks(turn: ResolvedTurn, includeUsage: boolean): StreamPlan {
  const chunk = (delta: Json, finishReason: string | null): Json => ({
    id: turn.id,
    object: 'chat.completion.chunk',
    created: turn.created,
    model: turn.model,
    system_fingerprint: null,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    // With include_usage OpenAI sends `usage: null` on every chunk but the last.
    ...(includeUsage ? { usage: null } : {}),
  });
  const tail = [chunk({}, turn.finishReason)];
  if (includeUsage) {
    tail.push({
      id: turn.id,
      object: 'chat.completion.chunk',
      created: turn.created,
      model: turn.model,
      system_fingerprint: null,
      choices: [],
      usage: turn.usage,
    });
  }
  return {
    head: [chunk({ role: 'assistant', content: '', refusal: null }, null)],
    content: contentDeltas(turn).map((delta) => chunk(delta, null)),
    tail,
  };
}
