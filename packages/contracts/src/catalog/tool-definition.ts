import { z } from '../common/zod.js';
import { ToolName } from './ids.js';

/**
 * The JSON Schema of a tool's arguments. Only the top level is checked here (an object schema
 * whose `required` names declared properties); the engine compiles the whole schema.
 */
export const ToolInputSchema = z
  .looseObject({
    type: z.literal('object'),
    properties: z.record(z.string(), z.looseObject({})).default({}),
    required: z.array(z.string()).optional(),
    additionalProperties: z.union([z.boolean(), z.looseObject({})]).optional(),
  })
  .superRefine((schema, ctx) => {
    for (const [i, name] of (schema.required ?? []).entries()) {
      if (!Object.hasOwn(schema.properties, name)) {
        ctx.addIssue({ code: 'custom', path: ['required', i], message: `no property ${name}` });
      }
    }
  })
  .openapi('ToolInputSchema');
export type ToolInputSchema = z.infer<typeof ToolInputSchema>;

export const ToolKind = z.enum(['builtin', 'processor', 'rag', 'http']).openapi('ToolKind', {
  description:
    '`builtin`: implemented inside the engine. `processor`: runs a processor (`target` = its ' +
    'id). `rag`: queries a retrieval index (`target` = index). `http`: calls `target` (a URL).',
});
export type ToolKind = z.infer<typeof ToolKind>;

/** `catalog/tools/<name>.json`: what the model sees (name, description, schema) and how it runs. */
export const ToolDefinition = z
  .strictObject({
    name: ToolName,
    description: z.string().min(1).max(2000),
    input_schema: ToolInputSchema,
    kind: ToolKind,
    target: z.string().min(1).max(2048).optional().describe('Required unless kind is builtin'),
    needs_approval: z
      .boolean()
      .default(false)
      .describe('Every call pauses for a human decision (hitl_request)'),
    timeout_ms: z.int().min(100).max(600_000).default(30_000),
  })
  .superRefine((tool, ctx) => {
    if (tool.kind !== 'builtin' && tool.target === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['target'],
        message: `kind ${tool.kind} needs a target`,
      });
    }
  })
  .openapi('ToolDefinition');
export type ToolDefinition = z.infer<typeof ToolDefinition>;
