import type { ToolRun } from '@agentplane/agent-loop';
import type { AgentDefinition, GatewayConfig, ToolDefinition } from '@agentplane/contracts/engine';

/** What one run's tools are bound to: the config the run started with and its agent. */
export interface ToolScope {
  config: GatewayConfig;
  agent?: AgentDefinition;
}

/**
 * How a catalog tool gets its code. Built-ins match by name; processor and RAG tools will match by
 * `kind` (and use `definition.target`) through this same interface, so adding them is one more
 * entry in `createEngineTools({ implementations })`, not a change to the registry.
 *
 * ```ts
 * const echo: ToolImplementation = {
 *   matches: (d) => d.kind === 'builtin' && d.name === 'echo.say',
 *   bind: () => async (input) => input,
 * };
 * ```
 */
export interface ToolImplementation {
  matches(definition: ToolDefinition): boolean;
  /** Called once per run with that run's scope (config snapshot, agent). */
  bind(definition: ToolDefinition, scope: ToolScope): ToolRun;
}

/** A built-in implemented inside the engine, found by its catalog name. */
export function builtinTool(
  name: string,
  bind: (definition: ToolDefinition, scope: ToolScope) => ToolRun,
): ToolImplementation {
  return { matches: (d) => d.kind === 'builtin' && d.name === name, bind };
}
