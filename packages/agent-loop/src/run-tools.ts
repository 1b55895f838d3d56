import type { StreamErrorCode } from '@agentplane/contracts';
import type { LlmToolCall } from './llm/types.js';
import type { RegisteredTool, ToolRegistry } from './tools.js';

/** A tool call awaiting a human decision (the host shows it and collects the answer). */
export interface ApprovalRequest {
  toolCallId: string;
  tool: string;
  arguments: Record<string, unknown>;
  definition: RegisteredTool['definition'];
  signal: AbortSignal;
}

export interface ApprovalDecision {
  approved: boolean;
  reason?: string;
}

export type Approve = (request: ApprovalRequest) => Promise<ApprovalDecision>;

type ToolErrorCode = Extract<StreamErrorCode, 'TOOL_ERROR' | 'TOOL_TIMEOUT' | 'TOOL_DENIED'>;

/** One finished call: either `output` or `error`, and what the model is given. */
export interface ToolOutcome {
  call: LlmToolCall;
  arguments: Record<string, unknown>;
  output?: unknown;
  error: { code: ToolErrorCode; message: string } | null;
  durationMs: number;
  /** The `tool` message content. */
  content: string;
}

export interface ToolBatchOptions {
  tools: ToolRegistry;
  concurrency: number;
  signal: AbortSignal;
  approve: Approve | undefined;
}

/** Parses the model's argument text; anything but a JSON object is refused. */
export function parseArguments(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text === '' ? '{}' : text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function toContent(output: unknown): string {
  if (typeof output === 'string') {
    return output;
  }
  try {
    return JSON.stringify(output) ?? 'null';
  } catch {
    return String(output);
  }
}

/** Counting semaphore: at most `limit` holders at once, FIFO. */
function createLimiter(limit: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= limit) {
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
    active += 1;
    try {
      return await task();
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  };
}

class ToolTimeout extends Error {}

/** Rejects when `signal` aborts, so a tool that ignores its signal cannot hold the run. */
function whenAborted(signal: AbortSignal): { promise: Promise<never>; dispose: () => void } {
  let onAbort = () => {};
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    if (signal.aborted) {
      onAbort();
    } else {
      signal.addEventListener('abort', onAbort, { once: true });
    }
  });
  // The race below may settle first; this rejection must not become an unhandled one.
  promise.catch(() => {});
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}

async function runWithTimeout(
  tool: RegisteredTool,
  input: Record<string, unknown>,
  call: LlmToolCall,
  runSignal: AbortSignal,
): Promise<unknown> {
  const timeoutMs = tool.definition.timeout_ms;
  const timer = new AbortController();
  const handle = setTimeout(() => timer.abort(new ToolTimeout()), timeoutMs);
  const signal = AbortSignal.any([runSignal, timer.signal]);
  const aborted = whenAborted(signal);
  try {
    return await Promise.race([tool.run(input, { signal, toolCallId: call.id }), aborted.promise]);
  } finally {
    clearTimeout(handle);
    aborted.dispose();
  }
}

type Failure = { code: ToolErrorCode; message: string; content?: string };

async function execute(
  call: LlmToolCall,
  args: Record<string, unknown> | undefined,
  options: ToolBatchOptions,
): Promise<{ output: unknown } | Failure> {
  const tool = options.tools.get(call.name);
  if (!tool) {
    return { code: 'TOOL_ERROR', message: `unknown tool ${call.name}` };
  }
  if (!args) {
    return { code: 'TOOL_ERROR', message: 'arguments are not a JSON object' };
  }
  const invalid = tool.validate(args);
  if (invalid) {
    return { code: 'TOOL_ERROR', message: `invalid arguments: ${invalid}` };
  }
  if (tool.definition.needs_approval) {
    const decision = options.approve
      ? await options.approve({
          toolCallId: call.id,
          tool: call.name,
          arguments: args,
          definition: tool.definition,
          signal: options.signal,
        })
      : { approved: false, reason: 'no approver is configured' };
    if (!decision.approved) {
      const reason = decision.reason ?? 'denied by the user';
      return {
        code: 'TOOL_DENIED',
        message: `permission_denied: ${reason}`,
        content: JSON.stringify({ error: 'permission_denied', reason }),
      };
    }
  }
  try {
    return { output: await runWithTimeout(tool, args, call, options.signal) };
  } catch (error) {
    if (error instanceof ToolTimeout) {
      const ms = tool.definition.timeout_ms;
      return { code: 'TOOL_TIMEOUT', message: `${call.name} timed out after ${ms} ms` };
    }
    if (options.signal.aborted) {
      throw error;
    }
    const message = error instanceof Error ? error.message : String(error);
    return { code: 'TOOL_ERROR', message };
  }
}

/**
 * Starts every call (at most `concurrency` at once) and returns one promise per call, in call
 * order. A promise rejects only when the run is cancelled: every tool failure is an outcome the
 * model gets to see.
 */
export function startToolCalls(
  calls: readonly { call: LlmToolCall; args: Record<string, unknown> | undefined }[],
  options: ToolBatchOptions,
): Promise<ToolOutcome>[] {
  const limit = createLimiter(Math.max(1, options.concurrency));
  const outcomes = calls.map(({ call, args }) =>
    limit(async (): Promise<ToolOutcome> => {
      const started = performance.now();
      options.signal.throwIfAborted();
      const result = await execute(call, args, options).catch((error: unknown): Failure => {
        if (options.signal.aborted) {
          throw error;
        }
        // The approver itself failed: refuse the call rather than run it unapproved.
        const message = error instanceof Error ? error.message : String(error);
        return { code: 'TOOL_DENIED', message: `approval failed: ${message}` };
      });
      const durationMs = performance.now() - started;
      const base = { call, arguments: args ?? {}, durationMs };
      if ('output' in result) {
        return { ...base, output: result.output, error: null, content: toContent(result.output) };
      }
      const error = { code: result.code, message: result.message };
      return { ...base, error, content: result.content ?? JSON.stringify({ error }) };
    }),
  );
  // After a cancel the caller stops awaiting the rest; their rejections are expected.
  for (const outcome of outcomes) {
    outcome.catch(() => {});
  }
  return outcomes;
}
