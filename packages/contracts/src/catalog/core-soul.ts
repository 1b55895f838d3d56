import { z } from '../common/zod.js';

/**
 * `catalog/core_soul.json`: the persona template every new brain's soul starts from. The engine
 * copies it into the brain on first boot; later changes to the brain's soul never write back.
 */
export const CoreSoul = z
  .strictObject({
    version: z.literal(1).default(1),
    name: z.string().min(1).max(100),
    persona: z.string().min(1).max(10_000).describe('Who the assistant is, in the second person'),
    principles: z.array(z.string().min(1).max(500)).min(1).max(50),
    style: z.strictObject({
      tone: z.string().min(1).max(200),
      verbosity: z.enum(['concise', 'balanced', 'detailed']).default('balanced'),
      formatting: z.array(z.string().min(1).max(300)).max(20).default([]),
    }),
    boundaries: z.array(z.string().min(1).max(500)).max(50).default([]),
  })
  .openapi('CoreSoul');
export type CoreSoul = z.infer<typeof CoreSoul>;
