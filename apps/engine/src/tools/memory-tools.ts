import type { MemoryStore } from '../brain/memory-store.js';
import { builtinTool, type ToolImplementation } from './tool-implementation.js';

const strings = (value: unknown): string[] | undefined =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;

/**
 * `memory.search`: full-text search of the brain's memory. Honours `limit`, `kinds` and `tags`
 * when the catalog's schema offers them (the loop has validated the input and filled defaults).
 */
export function memorySearchTool(memory: MemoryStore): ToolImplementation {
  return builtinTool('memory.search', () => async (input) => {
    const hits = memory.search(String(input.query ?? ''), {
      limit: typeof input.limit === 'number' ? input.limit : undefined,
      kinds: strings(input.kinds),
      tags: strings(input.tags),
    });
    return {
      items: hits.map((hit) => ({
        id: hit.id,
        kind: hit.kind,
        content: hit.content,
        tags: hit.tags,
        score: hit.score,
        updated_at: new Date(hit.updatedAt).toISOString(),
      })),
    };
  });
}

/**
 * `memory.write`: stores one item. The sample catalog's schema has `scope` (session | longterm)
 * and no `kind`, so the stored kind is `kind` when the schema offers it, else the scope, else
 * `longterm`; `memory.search` can then filter on it through `kinds`.
 */
export function memoryWriteTool(memory: MemoryStore): ToolImplementation {
  return builtinTool('memory.write', () => async (input) => {
    const kind =
      typeof input.kind === 'string'
        ? input.kind
        : typeof input.scope === 'string'
          ? input.scope
          : 'longterm';
    const [item] = memory.write([
      { kind, content: String(input.content ?? ''), tags: strings(input.tags) ?? [] },
    ]);
    return { id: item?.id, kind, stored: true };
  });
}
