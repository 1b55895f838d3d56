import { randomUUID } from 'node:crypto';
import type { LlmClient, ToolEntry } from '@agentplane/agent-loop';
import type { Resolve } from '@agentplane/net-guard';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { type AgentTool, type Capability, type ToolCallContext, ToolError } from './agent-tool.js';
import { aiCompleteTool } from './ai-complete-tool.js';
import { dbQueryTool } from './db-query-tool.js';
import { fileListTool, fileReadTool, fileWriteTool } from './file-tools.js';
import { httpFetchTool } from './http-fetch-tool.js';
import { type ProcessorRunOptions, processorRunTool } from './processor-run-tool.js';
import { type RagToolsAccess, ragTools } from './rag-tools.js';
import type { ReadOnlySql } from './read-only-query.js';
import { DEFAULT_TOOL_LIMITS, type ToolLimits } from './tool-limits.js';

export { ToolError };

export interface ToolboxDeps {
  /** Agents' folders live under it (`<filesRoot>/<agentId>/`). */
  filesRoot?: string;
  limits?: Partial<ToolLimits>;
  http?: { allowedHosts: readonly string[]; allowPrivate?: boolean; resolve?: Resolve };
  sql?: ReadOnlySql;
  llm?: { client: LlmClient; model: string };
  processors?: Omit<ProcessorRunOptions, 'timeoutMs'>;
  rag?: RagToolsAccess;
}

/** seed §1.3's invoke body, plus what the caller knows of the agent. */
export interface InvokeRequest {
  tool: string;
  inputs: Record<string, unknown>;
  agent_id: string;
  step_id: string;
  capabilities: readonly Capability[];
  /** Stable id of this call (e.g. a retry's idempotency key); default a fresh one. */
  tool_call_id?: string;
}

export interface Toolbox {
  tools: ReadonlyMap<string, AgentTool>;
  /**
   * Runs one tool for an agent: NOT_FOUND (unknown tool), PERMISSION_DENIED (capability
   * missing), INVALID_INPUT (schema; `details` lists every issue), TIMEOUT (the tool's
   * timeout_ms), or the tool's own ToolError. An abort of `signal` rejects with its reason.
   */
  invoke(req: InvokeRequest, signal: AbortSignal): Promise<{ output: unknown }>;
  /** Frees pools and sockets the toolbox opened (not the `sql` it was given). */
  close(): Promise<void>;
}

/** A tool whose dependency is absent: offered as usual, every call NOT_CONFIGURED. */
function unconfigured(tool: AgentTool, what: string): AgentTool {
  return {
    ...tool,
    run: async () => {
      throw new ToolError('NOT_CONFIGURED', `${tool.definition.name} is not configured (${what})`);
    },
  };
}

// Stand-ins for an absent dependency, so the tool's definition can be built; never called,
// since unconfigured() replaces the tool's run.
const NEVER_SQL: ReadOnlySql = { query: () => Promise.reject(new Error('no database')) };
const NEVER_LLM: LlmClient = {
  stream: () => {
    throw new Error('no LLM');
  },
};

const NEVER_RAG: RagToolsAccess = {
  query: () => Promise.reject(new Error('no RAG store')),
  readMemory: () => Promise.reject(new Error('no RAG store')),
  writeMemory: () => Promise.reject(new Error('no RAG store')),
};

function buildTools(deps: ToolboxDeps, limits: ToolLimits) {
  const files = {
    maxReadBytes: limits.fileReadBytes,
    maxWriteBytes: limits.fileWriteBytes,
    maxListEntries: limits.fileListEntries,
  };
  const root = deps.filesRoot ?? '';
  const fileTools = [
    fileReadTool(root, files),
    fileWriteTool(root, files),
    fileListTool(root, files),
  ];
  const db = dbQueryTool(deps.sql ?? NEVER_SQL, {
    timeoutMs: limits.dbTimeoutMs,
    maxRows: limits.dbMaxRows,
  });
  const ai = aiCompleteTool({
    client: deps.llm?.client ?? NEVER_LLM,
    model: deps.llm?.model ?? '',
    timeoutMs: limits.aiTimeoutMs,
  });
  const http = httpFetchTool({
    allowedHosts: deps.http?.allowedHosts ?? [],
    allowPrivate: deps.http?.allowPrivate,
    resolve: deps.http?.resolve,
    maxResponseBytes: limits.httpMaxBytes,
    timeoutMs: limits.httpTimeoutMs,
  });
  const processor = processorRunTool({
    urls: {},
    ...deps.processors,
    timeoutMs: limits.processorTimeoutMs,
  });
  const tools: AgentTool[] = [
    ...(deps.filesRoot === undefined
      ? fileTools.map((t) => unconfigured(t, 'no files root'))
      : fileTools),
    deps.sql === undefined ? unconfigured(db, 'no database') : db,
    deps.llm === undefined ? unconfigured(ai, 'no LLM') : ai,
    deps.http === undefined ? unconfigured(http, 'no allowed hosts') : http,
    deps.processors === undefined ? unconfigured(processor, 'no processors') : processor,
    ...ragTools(deps.rag ?? NEVER_RAG).map((t) =>
      deps.rag === undefined ? unconfigured(t, 'no RAG store') : t,
    ),
  ];
  return { tools, close: () => processor.close() };
}

function issuesOf(errors: readonly ErrorObject[]) {
  return errors.map((e) => ({ path: e.instancePath || '/', message: e.message ?? 'is invalid' }));
}

class InvokeTimeout extends Error {}

/** Runs `tool` until it settles, `signal` aborts or its timeout_ms passes (→ TIMEOUT). */
async function runBounded(
  tool: AgentTool,
  input: Record<string, unknown>,
  ctx: Omit<ToolCallContext, 'signal'>,
  signal: AbortSignal,
) {
  const ms = tool.definition.timeout_ms;
  const timer = new AbortController();
  const handle = setTimeout(() => timer.abort(new InvokeTimeout()), ms);
  const both = AbortSignal.any([signal, timer.signal]);
  let onAbort = () => {};
  // A tool that ignores its signal must not hold the caller past the deadline.
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(both.reason);
    both.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => {});
  try {
    return await Promise.race([tool.run(input, { ...ctx, signal: both }), aborted]);
  } catch (err) {
    if (signal.aborted) {
      throw signal.reason;
    }
    if (timer.signal.aborted) {
      throw new ToolError('TIMEOUT', `${tool.definition.name} timed out after ${ms} ms`);
    }
    throw err instanceof ToolError
      ? err
      : new ToolError(
          'UPSTREAM_ERROR',
          `${tool.definition.name} failed: ${(err as Error).message}`,
          undefined,
          { cause: err },
        );
  } finally {
    clearTimeout(handle);
    both.removeEventListener('abort', onAbort);
  }
}

/**
 * The agent-manager's tools (file.*, db.query, ai.complete, http.fetch, processor.run). A tool
 * whose dependency is absent answers NOT_CONFIGURED. Schemas are compiled once, here.
 *
 * ```ts
 * const toolbox = createToolbox({ filesRoot, sql, llm: { client, model }, http: { allowedHosts } });
 * const { output } = await toolbox.invoke({ tool: 'file.read', inputs: { path: 'a.txt' },
 *   agent_id, step_id: 'step-1', capabilities: ['fs'] }, signal);
 * ```
 */
export function createToolbox(deps: ToolboxDeps): Toolbox {
  const limits = { ...DEFAULT_TOOL_LIMITS, ...deps.limits };
  const built = buildTools(deps, limits);
  const tools = new Map(built.tools.map((t) => [t.definition.name, t]));
  // Like agent-loop's registry: defaults filled in, every issue reported, unknown keywords kept.
  const ajv = new Ajv({ allErrors: true, strict: false, logger: false, useDefaults: true });
  const validators = new Map<string, ValidateFunction>(
    built.tools.map((t) => [t.definition.name, ajv.compile(t.definition.input_schema)]),
  );
  return {
    tools,
    async invoke(req, signal) {
      const tool = tools.get(req.tool);
      const validate = validators.get(req.tool);
      if (tool === undefined || validate === undefined) {
        throw new ToolError('NOT_FOUND', `no tool ${req.tool}`, { tools: [...tools.keys()] });
      }
      if (!req.capabilities.includes(tool.capability)) {
        throw new ToolError(
          'PERMISSION_DENIED',
          `${req.tool} needs the ${tool.capability} capability`,
          {
            capability: tool.capability,
          },
        );
      }
      const input = structuredClone(req.inputs);
      if (!validate(input)) {
        throw new ToolError('INVALID_INPUT', `invalid inputs for ${req.tool}`, {
          issues: issuesOf(validate.errors ?? []),
        });
      }
      const ctx = {
        agentId: req.agent_id,
        stepId: req.step_id,
        toolCallId: req.tool_call_id ?? `direct_${randomUUID()}`,
      };
      return { output: await runBounded(tool, input, ctx, signal) };
    },
    close: built.close,
  };
}

export interface LoopToolsOptions {
  agentId: string;
  capabilities: readonly Capability[];
  /** The step a call belongs to, read when the call starts. */
  stepId: () => string;
}

/**
 * The toolbox as one agent's loop sees it: every tool is offered; one whose capability the
 * agent lacks answers `{error: 'permission_denied', capability}` without running (the model
 * learns why and can change course). The loop validates inputs and applies timeouts itself.
 * A ToolError reaches the model as `CODE: message`.
 */
export function loopToolsFor(
  toolbox: Pick<Toolbox, 'tools'>,
  options: LoopToolsOptions,
): Array<{ entry: ToolEntry; sideEffecting: boolean }> {
  const granted = new Set(options.capabilities);
  return [...toolbox.tools.values()].map((tool) => ({
    sideEffecting: tool.sideEffecting,
    entry: {
      definition: tool.definition,
      run: async (input, ctx) => {
        if (!granted.has(tool.capability)) {
          return { error: 'permission_denied', capability: tool.capability };
        }
        try {
          return await tool.run(input, {
            agentId: options.agentId,
            stepId: options.stepId(),
            toolCallId: ctx.toolCallId,
            signal: ctx.signal,
          });
        } catch (err) {
          throw err instanceof ToolError
            ? new Error(`${err.code}: ${err.message}`, { cause: err })
            : err;
        }
      },
    },
  }));
}
