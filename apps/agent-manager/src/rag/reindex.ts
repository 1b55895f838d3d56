import type { Embedder } from './embedder.js';
import { embedWithCache } from './ingest/embed-with-cache.js';
import type { ChunkInput, StoredChunk, VectorStore } from './store.js';

/** The store meta key recording which embedder filled the store, as `embedderTag` spells it. */
export const EMBEDDER_KEY = 'embedder';

/** `<id>/<dim>`: what a store records of its embedder; another tag means incomparable vectors. */
export function embedderTag(embedder: Pick<Embedder, 'id' | 'dim'>): string {
  return `${embedder.id}/${embedder.dim}`;
}

/** The dimension in a recorded tag, read after the last '/' (served model ids can hold one). */
export function dimOfTag(tag: string): number {
  const dim = Number(tag.slice(tag.lastIndexOf('/') + 1));
  if (!Number.isInteger(dim) || dim < 1) {
    throw new Error(`the store's embedder record ${JSON.stringify(tag)} names no dimension`);
  }
  return dim;
}

/** What a store holds, read without opening it at a dimension (which a mismatch would refuse). */
export interface StoreSummary {
  /** the embedder tag it records, if any */
  embedder: string | undefined;
  /** chunks and memory entries */
  chunks: number;
}

export interface ReindexStats {
  documents: number;
  /** chunks of documents and memory entries written to the new store */
  chunks: number;
  /** expired memory entries left behind (hidden already, and purged within a minute) */
  expired: number;
  /** ingest jobs still queued or processing, carried over to be resumed */
  jobs: number;
}

export interface CopyReembeddedOptions {
  from: VectorStore;
  /** a new, empty store of `embedder.dim` */
  to: VectorStore;
  embedder: Embedder;
  logger: { info(obj: object, msg: string): void };
  /** chunks read, embedded and written at a time; default 1000 */
  pageChunks?: number;
}

// Progress lines at this spacing: one every few seconds with a remote embedder.
const PROGRESS_EVERY = 5000;

/**
 * Copies every document with its chunks and every memory entry of `from` into `to`, embedding
 * the texts again with `embedder`, then records the embedder in `to`. Content, ordinals,
 * metadata, dates, tags, scopes, sessions and expiries are kept; rows get new keys and documents
 * a new `updatedAt`. `from` is only read, so a failure leaves it as it was: the caller builds `to`
 * beside it and swaps only once this resolves.
 *
 * The new vectors also fill `to`'s embedding cache, so re-ingesting an unchanged source afterwards
 * costs no embedding call. The old cache is not copied: it is keyed by the old embedder's id.
 * Of the ingest jobs only the unfinished ones are carried over (the store offers no listing of
 * finished ones); their history stays behind in the old store.
 *
 * ```ts
 * const stats = await copyReembedded({ from: oldStore, to: newStore, embedder, logger });
 * ```
 */
export async function copyReembedded(opts: CopyReembeddedOptions): Promise<ReindexStats> {
  const { from, to, embedder, logger } = opts;
  if (to.dim !== embedder.dim) {
    throw new Error(`the new store has ${to.dim} dimensions, the embedder ${embedder.dim}`);
  }
  const pageChunks = opts.pageChunks ?? 1000;
  const now = Date.now();
  const all = Number.MAX_SAFE_INTEGER;
  const total =
    (await from.countMatching({ collection: 'rag' }, all)) +
    (await from.countMatching({ collection: 'memory' }, all));
  const stats: ReindexStats = { documents: 0, chunks: 0, expired: 0, jobs: 0 };
  let done = 0;
  let logged = 0;
  const progress = (n: number) => {
    done += n;
    if (done - logged >= PROGRESS_EVERY) {
      logged = done;
      logger.info({ done, total }, 'RAG re-index');
    }
  };

  for (let after: string | undefined; ; ) {
    const page = await from.scanDocuments(after, pageChunks);
    const last = page.at(-1);
    if (last === undefined) {
      break;
    }
    const { vectors, fresh } = await embedWithCache(
      to,
      embedder,
      page.flatMap((item) => item.chunks.map((c) => c.content)),
    );
    let i = 0;
    const items = page.map(({ doc, chunks }) => ({
      doc,
      chunks: chunks.map((c) => withEmbedding(c, vectors[i++])),
    }));
    await to.replaceDocuments(items, fresh);
    stats.documents += page.length;
    stats.chunks += i;
    progress(i);
    after = last.doc.id;
  }

  for (let after: string | undefined; ; ) {
    const page = await from.scanEntries(after, pageChunks);
    const last = page.at(-1);
    if (last === undefined) {
      break;
    }
    const live = page.filter((e) => e.expiresAt === undefined || e.expiresAt > now);
    const { vectors, fresh } = await embedWithCache(
      to,
      embedder,
      live.map((e) => e.content),
    );
    await to.cacheEmbeddings(fresh);
    await to.insertEntries(live.map((e, j) => withEmbedding(e, vectors[j])));
    stats.chunks += live.length;
    stats.expired += page.length - live.length;
    progress(page.length);
    after = last.id;
  }

  for (const id of await from.unfinishedJobs()) {
    const job = await from.getJob(id);
    if (job) {
      await to.createJob(job);
      stats.jobs += 1;
    }
  }
  await to.setMeta(EMBEDDER_KEY, embedderTag(embedder));
  return stats;
}

function withEmbedding(chunk: StoredChunk, embedding: Float32Array | undefined): ChunkInput {
  if (embedding === undefined) {
    throw new Error(`the embedder returned no vector for chunk ${chunk.id}`);
  }
  return { ...chunk, embedding };
}
