import {
  createToolRegistry,
  type RegisteredTool,
  type ToolRegistry,
  type ToolRun,
} from '@agentplane/agent-loop';
import type { AgentDefinition, GatewayConfig, ToolDefinition } from '@agentplane/contracts/engine';
import type { Logger } from '@agentplane/http-kit';
import type { Resolve } from '@agentplane/net-guard';
import type { MemoryStore } from '../brain/memory-store.js';
import type { Catalog } from '../catalog/load-catalog.js';
import { httpFetchTool } from './http-fetch.js';
import { memorySearchTool, memoryWriteTool } from './memory-tools.js';
import { isToolAllowed } from './tool-allowlist.js';
import type { ToolImplementation } from './tool-implementation.js';

export interface EngineToolsDeps {
  memory: MemoryStore;
  catalog: Pick<Catalog, 'tools'>;
  /** http.fetch's DNS lookup; default dns.lookup. */
  resolve?: Resolve;
  /** More implementations (processor, RAG…), tried after the built-ins. */
  implementations?: readonly ToolImplementation[];
  /** Told once, here, which catalog tools have no implementation (and so are never offered). */
  logger?: Pick<Logger, 'info'>;
}

/** Builds one run's tool registry from its config snapshot and (optional) agent. */
export type EngineTools = (config: GatewayConfig, agent?: AgentDefinition) => ToolRegistry;

/**
 * The engine's tools. Call once at start; the returned function builds the registry of one run:
 * the catalog tools that have an implementation, that the config's `tools.allowlist` admits
 * (empty = none) and, when an agent is given, that its `tools` list names (empty = none; no
 * agent = no agent filter). Input schemas are compiled once per catalog tool, by the first call.
 *
 * ```ts
 * const toolsFor = createEngineTools({ memory, catalog, logger });
 * runAgentLoop({ ..., tools: toolsFor(holder.current().config, agent) });
 * ```
 */
export function createEngineTools(deps: EngineToolsDeps): EngineTools {
  const implementations: ToolImplementation[] = [
    memorySearchTool(deps.memory),
    memoryWriteTool(deps.memory),
    httpFetchTool({ resolve: deps.resolve }),
    ...(deps.implementations ?? []),
  ];
  const found: { definition: ToolDefinition; implementation: ToolImplementation }[] = [];
  const missing: string[] = [];
  for (const definition of deps.catalog.tools.values()) {
    const implementation = implementations.find((i) => i.matches(definition));
    if (implementation === undefined) {
      missing.push(`${definition.name} (${definition.kind})`);
    } else {
      found.push({ definition, implementation });
    }
  }
  if (missing.length > 0) {
    deps.logger?.info({ tools: missing }, 'catalog tools without an implementation: not offered');
  }
  // Schemas are compiled once: a registry per run would re-compile them (ajv) per request. Each
  // run then pairs the compiled validator with a `run` bound to that run's scope. The compile
  // waits for the first run: ajv's generated validators are a few MB of heap at start-up that an
  // idle engine never uses (issue: idle RSS).
  let tools: { tool: RegisteredTool; implementation: ToolImplementation }[] | undefined;
  const compiledTools = () => {
    if (tools === undefined) {
      const compiled = createToolRegistry(
        found.map(({ definition }) => ({ definition, run: unbound })),
      );
      tools = found.flatMap(({ definition, implementation }) => {
        const tool = compiled.get(definition.name);
        return tool ? [{ tool, implementation }] : [];
      });
    }
    return tools;
  };
  return (config, agent) => {
    const agentTools = agent ? new Set(agent.tools) : undefined;
    const registry = new Map<string, RegisteredTool>();
    for (const { tool, implementation } of compiledTools()) {
      const name = tool.definition.name;
      if (
        isToolAllowed(name, config.tools.allowlist) &&
        (agentTools === undefined || agentTools.has(name))
      ) {
        registry.set(name, {
          ...tool,
          run: implementation.bind(tool.definition, { config, agent }),
        });
      }
    }
    return registry;
  };
}

const unbound: ToolRun = () => Promise.reject(new Error('tool not bound to a run'));
