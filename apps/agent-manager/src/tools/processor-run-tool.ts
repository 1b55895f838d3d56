import type { ProcessorMode } from '@agentplane/contracts';
import {
  createRemoteAdapter,
  loadRegistryFor,
  type ProcessorAdapter,
  targetFromRegistry,
  unpinnedTarget,
} from '@agentplane/processor-adapters';
import { type AgentTool, builtinDefinition, ToolError } from './agent-tool.js';

export interface ProcessorRunOptions {
  /** Processor id (its ref, e.g. `text/summarize@1`) → base URL of a running processor. */
  urls: Readonly<Record<string, string>>;
  /**
   * Where the processor writes, on its side; `{agent_id}` is expanded here, `{execution_id}`
   * by the processor. Default `/tmp/agentplane-agents/{agent_id}/{execution_id}/`.
   */
  writePrefix?: string;
  /** Default `real`; `mock` runs the processors' deterministic path (tests, dry runs). */
  mode?: ProcessorMode;
  /**
   * apps/processors of a checkout: the id's registry.yaml gives the pinned digest checked on
   * every envelope. Without it the target is unpinned (no drift check).
   */
  processorsDir?: string;
  /** Bound on one POST /run. */
  timeoutMs: number;
  /** Headers sent on every call (an authorization header of the deployment). */
  headers?: Record<string, string>;
}

const DEFAULT_WRITE_PREFIX = '/tmp/agentplane-agents/{agent_id}/{execution_id}/';

/** The run's execution id: the same for a re-run of the same call, so it rewrites one folder. */
function executionId(agentId: string, toolCallId: string): string {
  return `${agentId}_${toolCallId}`.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 128);
}

/**
 * The configured id a model's name means: the id itself (`text/summarize@1`), or `<ns>/<name>`
 * when exactly one version of it is configured (models often drop the version).
 */
function configuredId(requested: string, configured: readonly string[]): string {
  if (configured.includes(requested)) {
    return requested;
  }
  const nameOf = (id: string) => (id.includes('@') ? id.slice(0, id.lastIndexOf('@')) : undefined);
  const versions = configured.filter((id) => nameOf(id) === requested);
  if (versions.length === 1 && versions[0] !== undefined) {
    return versions[0];
  }
  if (versions.length > 1) {
    throw new ToolError('INVALID_INPUT', `processor ${requested} is ambiguous: name a version`, {
      processors: versions,
    });
  }
  throw new ToolError('NOT_FOUND', `no processor ${requested} is configured`, {
    processors: configured,
  });
}

export interface ProcessorRunTool extends AgentTool {
  /** Frees the adapters' sockets. */
  close(): Promise<void>;
}

/**
 * `processor.run`: one run of a configured processor through a RemoteAdapter; the envelope
 * (success or error) is the result. Side-effecting: the processor writes its outputs under
 * write_prefix, outside the agent, so a resumed run reuses the recorded envelope instead of
 * running (and paying for) the processor again.
 */
export function processorRunTool(options: ProcessorRunOptions): ProcessorRunTool {
  const adapters = new Map<string, ProcessorAdapter>();
  const adapterFor = (requested: string): ProcessorAdapter => {
    const id = configuredId(requested, Object.keys(options.urls));
    const url = options.urls[id] ?? '';
    let adapter = adapters.get(id);
    if (adapter === undefined) {
      const target =
        options.processorsDir === undefined
          ? unpinnedTarget(id, options.timeoutMs)
          : targetFromRegistry(loadRegistryFor(id, options.processorsDir), 'amd64');
      adapter = createRemoteAdapter({
        url,
        target,
        headers: options.headers,
        runTimeoutMs: options.timeoutMs,
      });
      adapters.set(id, adapter);
    }
    return adapter;
  };
  return {
    capability: 'processor',
    sideEffecting: true,
    definition: builtinDefinition({
      name: 'processor.run',
      description: `Runs a processor on inputs and returns its envelope (outputs, or an error). Processors: ${
        Object.keys(options.urls).join(', ') || 'none'
      }.`,
      input_schema: {
        type: 'object',
        properties: {
          processor: { type: 'string', minLength: 1, maxLength: 200 },
          inputs: { type: 'object' },
        },
        required: ['processor', 'inputs'],
        additionalProperties: false,
      },
      // The adapter's own deadline answers first (ERR_ADAPTER_TIMEOUT), with an envelope.
      timeout_ms: options.timeoutMs + 35_000,
    }),
    async run(input, ctx) {
      const adapter = adapterFor(String(input.processor));
      const writePrefix = (options.writePrefix ?? DEFAULT_WRITE_PREFIX).replaceAll(
        '{agent_id}',
        ctx.agentId,
      );
      return adapter.run(
        {
          execution_id: executionId(ctx.agentId, ctx.toolCallId),
          write_prefix: writePrefix,
          schema: 'v1',
          mode: options.mode ?? 'real',
          inputs: input.inputs as Record<string, unknown>,
        },
        { signal: ctx.signal },
      );
    },
    async close() {
      await Promise.all([...adapters.values()].map((a) => a.close()));
      adapters.clear();
    },
  };
}
