import { z } from '../common/zod.js';
import { AgentId } from './agents.js';

export const InvokeToolRequestBody = z
  .strictObject({
    tool: z
      .string()
      .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/, 'a tool name such as file.read'),
    inputs: z.record(z.string(), z.unknown()),
    // The agent whose capabilities and file root apply.
    agent_id: AgentId,
    step_id: z.string().min(1).max(128).optional(),
  })
  .openapi('InvokeToolRequestBody');
export type InvokeToolRequestBody = z.infer<typeof InvokeToolRequestBody>;

export const InvokeToolResponseBody = z
  .object({ tool: z.string(), output: z.unknown(), duration_ms: z.number().nonnegative() })
  .openapi('InvokeToolResponseBody');
export type InvokeToolResponseBody = z.infer<typeof InvokeToolResponseBody>;
