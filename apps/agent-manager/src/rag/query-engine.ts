import type { Embedder } from './embedder.js';
import { createLruCache } from './lru-cache.js';
import { createRecallSampler, type QueryClass } from './recall-sampler.js';
import { fuseByRank } from './rrf.js';
import type { ChunkFilter, Hit, Ranked, VectorStore } from './store.js';

export type SearchMode = 'hybrid' | 'vector' | 'text';
export type Plan = 'exact' | 'ann' | 'ann+exact' | 'text';

export interface SearchRequest {
  text: string;
  topK: number;
  mode: SearchMode;
  filter: ChunkFilter;
}

export interface SearchResult {
  hits: Hit[];
  plan: Plan;
  cached: boolean;
}

export interface QueryEngineOptions {
  store: VectorStore;
  embedder: Embedder;
  /** a filter admitting at most this many rows is searched exactly */
  exactMax: number;
  cacheSize: number;
  recallSampleRate: number;
  onError: (err: unknown) => void;
}

/** Fused lists are this much deeper than top_k: RRF needs rows ranked below the cut-off. */
const DEPTH = 4;
const MIN_DEPTH = 20;
const FILTERED_EXACT_FACTOR = 4;
/** Distinct filters whose admitted-row counts are kept (per store generation). */
const COUNT_CACHE_SIZE = 512;

function isFiltered(filter: ChunkFilter): boolean {
  return (
    (filter.metadata !== undefined && Object.keys(filter.metadata).length > 0) ||
    filter.dateFrom !== undefined ||
    filter.dateTo !== undefined ||
    filter.docId !== undefined ||
    (filter.tags !== undefined && filter.tags.length > 0) ||
    filter.scope !== undefined ||
    filter.session !== undefined
  );
}

/**
 * One search path for RAG queries and memory reads. The planner keeps filtered recall: a filter
 * admitting few rows goes to exact search (filtered rows first, then distance); a broad one goes
 * to the ANN index, over-fetched, and falls back to exact when fewer than k rows survive.
 */
export function createQueryEngine(opts: QueryEngineOptions) {
  const { store, embedder } = opts;
  const cache = createLruCache<{ generation: string; result: Omit<SearchResult, 'cached'> }>(
    opts.cacheSize,
  );
  const queryVectors = createLruCache<Float32Array>(opts.cacheSize);
  const counts = createLruCache<{ generation: string; count: number }>(COUNT_CACHE_SIZE);
  const counters = { hits: 0, misses: 0 };
  const recall = createRecallSampler({
    rate: opts.recallSampleRate,
    exact: (_cls, run) => run(),
    onError: opts.onError,
  });

  async function embedQuery(text: string): Promise<Float32Array> {
    const known = queryVectors.get(text);
    if (known) {
      return known;
    }
    const [vector] = await embedder.embed([text]);
    if (vector === undefined) {
      throw new Error('the embedder returned no vector');
    }
    queryVectors.set(text, vector);
    return vector;
  }

  /** Rows a filter admits, up to `cap`: counted once per store generation, not per query. */
  async function admittedRows(filter: ChunkFilter, cap: number, generation: string) {
    const key = JSON.stringify([filter, cap]);
    const known = counts.get(key);
    if (known?.generation === generation) {
      return known.count;
    }
    const count = await store.countMatching(filter, cap);
    counts.set(key, { generation, count });
    return count;
  }

  async function vectorPart(
    vector: Float32Array,
    k: number,
    filter: ChunkFilter,
    generation: string,
  ): Promise<{ ranked: Ranked[]; plan: Plan }> {
    // A filtered ANN search keeps only the share of its over-fetched rows the filter admits, so a
    // filter up to 4 × exactMax rows is cheaper exact than an ANN search that comes back short.
    const exactMax = isFiltered(filter) ? opts.exactMax * FILTERED_EXACT_FACTOR : opts.exactMax;
    const admitted = await admittedRows(filter, exactMax + 1, generation);
    if (admitted <= exactMax) {
      return { ranked: await store.exactRank(vector, k, filter), plan: 'exact' };
    }
    const ranked = await store.annRank(vector, k, filter);
    if (ranked.length >= Math.min(k, admitted)) {
      return { ranked, plan: 'ann' };
    }
    return { ranked: await store.exactRank(vector, k, filter), plan: 'ann+exact' };
  }

  async function rank(
    request: SearchRequest,
    generation: string,
  ): Promise<{ ranked: Ranked[]; plan: Plan }> {
    if (request.mode === 'text') {
      return {
        ranked: await store.textRank(request.text, request.topK, request.filter),
        plan: 'text',
      };
    }
    const depth =
      request.mode === 'hybrid' ? Math.max(request.topK * DEPTH, MIN_DEPTH) : request.topK;
    const vector = await embedQuery(request.text);
    const [vectorRanked, textRanked] = await Promise.all([
      vectorPart(vector, depth, request.filter, generation),
      request.mode === 'hybrid'
        ? store.textRank(request.text, depth, request.filter)
        : Promise.resolve([]),
    ]);
    if (vectorRanked.plan !== 'exact') {
      const cls: QueryClass = isFiltered(request.filter) ? 'filtered' : 'unfiltered';
      recall.offer(cls, vectorRanked.ranked, () => store.exactRank(vector, 10, request.filter));
    }
    const ranked =
      request.mode === 'hybrid'
        ? fuseByRank([vectorRanked.ranked, textRanked], request.topK)
        : vectorRanked.ranked.slice(0, request.topK);
    return { ranked, plan: vectorRanked.plan };
  }

  async function run(request: SearchRequest, generation: string) {
    const { ranked, plan } = await rank(request, generation);
    // Only the final top_k rows are read: fusion needed keys alone.
    return { hits: await store.hydrate(ranked), plan };
  }

  return {
    async search(request: SearchRequest): Promise<SearchResult> {
      const key = JSON.stringify([request.text, request.topK, request.mode, request.filter]);
      // The store's generation changes on any committed write, in any process: a hit is never
      // older than the last ingest.
      const generation = await store.generation();
      const known = cache.get(key);
      if (known && known.generation === generation) {
        counters.hits += 1;
        return { ...known.result, cached: true };
      }
      counters.misses += 1;
      const result = await run(request, generation);
      cache.set(key, { generation, result });
      return { ...result, cached: false };
    },
    stats() {
      return { cache: { ...counters, size: cache.size }, recall: recall.stats() };
    },
    /** Resolves when the recall samples scheduled so far are measured. */
    recallSettled: () => recall.settled(),
  };
}
export type QueryEngine = ReturnType<typeof createQueryEngine>;
