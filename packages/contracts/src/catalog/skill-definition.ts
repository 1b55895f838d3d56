import { z } from '../common/zod.js';
import { CatalogId, ToolName } from './ids.js';

/**
 * `catalog/skills/<id>.json`: reusable instructions an agent can load into its context. Platform
 * skills live here; custom skills live in each user's brain.
 */
export const SkillDefinition = z
  .strictObject({
    id: CatalogId,
    name: z.string().min(1).max(100),
    description: z
      .string()
      .min(1)
      .max(1000)
      .describe('Shown to the model to decide when to use it'),
    instructions: z.string().min(1).max(50_000),
    tools: z.array(ToolName).max(100).optional().describe('Tools the skill needs'),
  })
  .openapi('SkillDefinition');
export type SkillDefinition = z.infer<typeof SkillDefinition>;
