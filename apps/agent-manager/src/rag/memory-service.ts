import { randomBytes } from 'node:crypto';
import type { MemoryBatchRequestBody, MemoryScope } from '@agentplane/contracts';
import { ApiError } from '@agentplane/http-kit';
import type { Embedder } from './embedder.js';
import { embedWithCache } from './ingest/embed-with-cache.js';
import type { QueryEngine } from './query-engine.js';
import type { ChunkFilter, ChunkInput, VectorStore } from './store.js';

export interface MemoryServiceDeps {
  store: VectorStore;
  engine: QueryEngine;
  embedder: Embedder;
  sessionTtlS: number;
  now?: () => number;
}

export interface MemoryReadQuery {
  query: string;
  scope?: MemoryScope | undefined;
  session_id?: string | undefined;
  tags?: string | undefined;
  limit: number;
}

/** Memory entries (seed §3): rows of the 'memory' collection, searched like RAG chunks. */
export function createMemoryService(deps: MemoryServiceDeps) {
  const now = deps.now ?? Date.now;
  return {
    async write(body: MemoryBatchRequestBody): Promise<string[]> {
      const { vectors, fresh } = await embedWithCache(
        deps.store,
        deps.embedder,
        body.entries.map((entry) => entry.content),
      );
      const expiresAt = body.scope === 'session' ? now() + deps.sessionTtlS * 1000 : undefined;
      const rows: ChunkInput[] = body.entries.map((entry, i) => ({
        id: `mem_${randomBytes(12).toString('hex')}`,
        ordinal: i,
        content: entry.content,
        embedding: vectors[i] as Float32Array,
        metadata: entry.metadata ?? {},
        tags: entry.tags ?? [],
        scope: body.scope,
        ...(body.session_id === undefined ? {} : { session: body.session_id }),
        ...(expiresAt === undefined ? {} : { expiresAt }),
      }));
      await deps.store.cacheEmbeddings(fresh);
      await deps.store.insertEntries(rows);
      return rows.map((row) => row.id);
    },

    async read(query: MemoryReadQuery) {
      // Whole seconds: expiry is checked per query, and the query cache keys on the filter.
      const second = Math.floor(now() / 1000) * 1000;
      const filter: ChunkFilter = {
        collection: 'memory',
        now: second,
        ...(query.scope === undefined ? {} : { scope: query.scope }),
        ...(query.session_id === undefined ? {} : { session: query.session_id }),
        ...(query.tags === undefined ? {} : { tags: query.tags.split(',') }),
      };
      const result = await deps.engine.search({
        text: query.query,
        topK: query.limit,
        mode: 'hybrid',
        filter,
      });
      return result.hits.map((hit) => ({
        id: hit.id,
        content: hit.content,
        score: hit.score,
        scope: (hit.scope ?? 'longterm') as MemoryScope,
        ...(hit.session === undefined ? {} : { session_id: hit.session }),
        tags: hit.tags ?? [],
        metadata: hit.metadata,
      }));
    },

    async delete(id: string) {
      if (!(await deps.store.deleteEntry(id))) {
        throw new ApiError({ code: 'NOT_FOUND', message: `No memory entry ${id}` });
      }
      return { id, deleted: true as const };
    },
  };
}
export type MemoryService = ReturnType<typeof createMemoryService>;
