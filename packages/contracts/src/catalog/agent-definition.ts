import { z } from '../common/zod.js';
import { CatalogId, ToolName } from './ids.js';

/** `catalog/agents/<id>.json`: a system prompt plus the tools, skills and model tier it may use. */
export const AgentDefinition = z
  .strictObject({
    id: CatalogId,
    name: z.string().min(1).max(100),
    description: z.string().min(1).max(1000),
    system_prompt: z.string().min(1).max(50_000),
    model: z
      .enum(['default', 'planner', 'light'])
      .default('default')
      .describe('Which gateway.yaml `models` entry the agent runs on'),
    tools: z.array(ToolName).max(100).default([]).describe('Tool names; each must exist in tools/'),
    skills: z
      .array(CatalogId)
      .max(100)
      .default([])
      .describe('Skill ids; each must exist in skills/'),
    max_turns: z.int().min(1).max(200).optional().describe('Caps the request’s max_turns'),
  })
  .openapi('AgentDefinition');
export type AgentDefinition = z.infer<typeof AgentDefinition>;
