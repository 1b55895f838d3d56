import type { Capability, ToolDefinition } from '@agentplane/contracts';

export type { Capability };

/** Who is calling: the agent (its files, its quota), the step, and the model's call id. */
export interface ToolCallContext {
  agentId: string;
  stepId: string;
  toolCallId: string;
  /** Aborted on cancel and on the tool's timeout: stop work, the result is dropped. */
  signal: AbortSignal;
}

/**
 * One agent-manager tool. `run` gets input already validated against `definition.input_schema`
 * (by the toolbox or the agent loop) and throws ToolError for every refusal it makes.
 */
export interface AgentTool {
  /** kind `builtin`, JSON Schema `input_schema`, `timeout_ms` per tool. */
  definition: ToolDefinition;
  capability: Capability;
  /** Side effects outside the agent: its recorded result is reused on resume (never run twice). */
  sideEffecting: boolean;
  run(input: Record<string, unknown>, ctx: ToolCallContext): Promise<unknown>;
}

/** Stable codes a caller (HTTP route, agent loop) can map; the message is for humans and models. */
export type ToolErrorCode =
  | 'PERMISSION_DENIED'
  | 'INVALID_INPUT'
  | 'NOT_FOUND'
  | 'PATH_OUTSIDE_ROOT'
  | 'HOST_NOT_ALLOWED'
  | 'PRIVATE_ADDRESS'
  | 'READ_ONLY'
  | 'MULTIPLE_STATEMENTS'
  | 'TIMEOUT'
  | 'TOO_LARGE'
  | 'NOT_CONFIGURED'
  | 'UPSTREAM_ERROR';

export class ToolError extends Error {
  override name = 'ToolError';
  readonly code: ToolErrorCode;
  readonly details?: unknown;

  constructor(code: ToolErrorCode, message: string, details?: unknown, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    if (details !== undefined) {
      this.details = details;
    }
  }
}

/** A builtin ToolDefinition with the defaults the contract would fill in. */
export function builtinDefinition(
  definition: Pick<ToolDefinition, 'name' | 'description' | 'input_schema'> & {
    timeout_ms: number;
  },
): ToolDefinition {
  return { ...definition, kind: 'builtin', needs_approval: false };
}
