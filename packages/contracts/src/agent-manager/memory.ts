import { z } from '../common/zod.js';
import { RagMetadata } from './rag.js';

// Memory (seeds/operone-api-contracts.md §3): facts an agent or a product keeps, per session
// (expiring) or long-term, ranked by the same hybrid search as RAG.

export const MemoryScope = z.enum(['session', 'longterm']).openapi('MemoryScope');
export type MemoryScope = z.infer<typeof MemoryScope>;

const Tag = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'a tag: letters, digits, _ . : - (≤ 64)');
const SessionId = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'letters, digits, _ . : - (≤ 128)');

export const MAX_MEMORY_ENTRIES = 1000;

export const MemoryEntryInput = z
  .strictObject({
    content: z.string().trim().min(1).max(16_384),
    tags: z.array(Tag).max(32).optional(),
    metadata: RagMetadata.optional(),
  })
  .openapi('MemoryEntryInput');

export const MemoryBatchRequestBody = z
  .strictObject({
    scope: MemoryScope,
    session_id: SessionId.optional().describe('Required with scope `session`'),
    entries: z.array(MemoryEntryInput).min(1).max(MAX_MEMORY_ENTRIES),
  })
  .refine((body) => body.scope !== 'session' || body.session_id !== undefined, {
    message: 'session_id is required when scope is session',
    path: ['session_id'],
  })
  .openapi('MemoryBatchRequestBody');
export type MemoryBatchRequestBody = z.infer<typeof MemoryBatchRequestBody>;

export const MemoryBatchResponseBody = z
  .object({ ids: z.array(z.string()) })
  .openapi('MemoryBatchResponseBody');

export const ReadMemoryQuery = z.object({
  query: z.string().trim().min(1).max(4096),
  scope: MemoryScope.optional().describe('Absent: both scopes'),
  session_id: SessionId.optional(),
  tags: z
    .string()
    .max(2048)
    .regex(/^[A-Za-z0-9_.:-]{1,64}(,[A-Za-z0-9_.:-]{1,64})*$/, 'comma-separated tags')
    .optional()
    .describe('Comma-separated: entries carrying every one'),
  limit: z.int().min(1).max(100).default(10),
});

export const MemoryEntry = z
  .object({
    id: z.string(),
    content: z.string(),
    score: z.number(),
    scope: MemoryScope,
    session_id: z.string().optional(),
    tags: z.array(z.string()),
    metadata: RagMetadata,
  })
  .openapi('MemoryEntry');

export const ReadMemoryResponseBody = z
  .object({ entries: z.array(MemoryEntry) })
  .openapi('ReadMemoryResponseBody');

export const MemoryId = z.string().regex(/^mem_[0-9a-f]{24}$/, 'a memory entry id (mem_…)');
export const MemoryParams = z.object({ memory_id: MemoryId });

export const DeleteMemoryResponseBody = z
  .object({ id: z.string(), deleted: z.literal(true) })
  .openapi('DeleteMemoryResponseBody');
