import type { Embedder } from '../embedder.js';
import { newIngestJob } from '../ingest-job-record.js';
import type { ChunkInput, IngestJobRecord, Metadata, StoredChunk, VectorStore } from '../store.js';

// Test-only: a small store's worth of documents, memory entries and jobs, and a way to read it
// all back, so a re-index can be checked field by field.

// Expiries against the real clock: the re-index leaves rows expired by then behind.
const NOW = Date.now();

const DOCS: { id: string; texts: string[]; metadata: Metadata; date?: string }[] = [
  {
    id: 'doc_tides',
    texts: ['The moon pulls the ocean into tides twice a day', 'Spring tides follow a full moon'],
    metadata: { tenant: 'acme', year: 2024, public: true },
    date: '2024-03-01',
  },
  {
    id: 'doc_bread',
    texts: ['Sourdough bread rises with wild yeast', 'Knead the dough and rest it overnight'],
    metadata: { tenant: 'bakery' },
  },
  { id: 'doc_empty', texts: [], metadata: {} },
];

const ENTRIES: Omit<ChunkInput, 'embedding'>[] = [
  {
    id: 'mem_a',
    ordinal: 0,
    content: 'The user prefers answers in French',
    metadata: { source: 'chat' },
    tags: ['prefs', 'lang'],
    scope: 'longterm',
  },
  {
    id: 'mem_b',
    ordinal: 1,
    content: 'The current ticket is about invoices',
    metadata: {},
    tags: [],
    scope: 'session',
    session: 's1',
    expiresAt: NOW + 30 * 86_400_000,
  },
  {
    id: 'mem_expired',
    ordinal: 0,
    content: 'A session note that has expired',
    metadata: {},
    scope: 'session',
    session: 's0',
    expiresAt: NOW - 1000,
  },
];

function job(id: string, status: IngestJobRecord['status']): IngestJobRecord {
  const queued = newIngestJob(
    id,
    { documents: [{ source: 'file://a.md' }], options: { chunk_size: 512, overlap: 64 } },
    NOW,
  );
  return status === 'completed'
    ? { ...queued, status, docsDone: 1, documents: [{ status: 'done' }] }
    : { ...queued, status };
}

/** Fills `store` with the fixture, embedded by `embedder`, and records it as the store's embedder. */
export async function fillStore(store: VectorStore, embedder: Embedder): Promise<void> {
  for (const d of DOCS) {
    const vectors = await embedder.embed(d.texts);
    await store.replaceDocument(
      {
        id: d.id,
        collection: 'rag',
        source: `file://${d.id}.md`,
        contentHash: `hash-${d.id}`,
        metadata: d.metadata,
        ...(d.date ? { date: d.date } : {}),
      },
      d.texts.map((content, ordinal) => ({
        id: `${d.id}:${ordinal}`,
        ordinal,
        content,
        embedding: vectors[ordinal] as Float32Array,
        metadata: d.metadata,
        ...(d.date ? { date: d.date } : {}),
      })),
    );
  }
  const vectors = await embedder.embed(ENTRIES.map((e) => e.content));
  await store.insertEntries(
    ENTRIES.map((e, i) => ({ ...e, embedding: vectors[i] as Float32Array })),
  );
  await store.createJob(job('job_done', 'completed'));
  await store.createJob(job('job_queued', 'queued'));
  await store.setMeta('embedder', `${embedder.id}/${embedder.dim}`);
}

/** `count` documents of `chunksEach` distinct chunks: enough for several re-index pages. */
export async function fillMany(
  store: VectorStore,
  embedder: Embedder,
  count: number,
  chunksEach: number,
): Promise<void> {
  for (let d = 0; d < count; d++) {
    const texts = Array.from({ length: chunksEach }, (_, c) => `bulk ${d} part ${c} word${d}x${c}`);
    const vectors = await embedder.embed(texts);
    await store.replaceDocument(
      { id: `bulk_${d}`, collection: 'rag', source: `s${d}`, contentHash: 'h', metadata: {} },
      texts.map((content, ordinal) => ({
        id: `bulk_${d}:${ordinal}`,
        ordinal,
        content,
        embedding: vectors[ordinal] as Float32Array,
        metadata: { d },
      })),
    );
  }
}

/** Everything the store holds but vectors, keys and write times, read in small pages. */
export async function readAll(store: VectorStore) {
  const docs: { doc: object; chunks: StoredChunk[] }[] = [];
  for (let after: string | undefined; ; ) {
    const page = await store.scanDocuments(after, 3);
    if (page.length === 0) {
      break;
    }
    for (const { doc, chunks } of page) {
      const { updatedAt: _updatedAt, ...rest } = doc;
      docs.push({ doc: rest, chunks });
    }
    after = page.at(-1)?.doc.id;
  }
  const entries: StoredChunk[] = [];
  for (let after: string | undefined; ; ) {
    const page = await store.scanEntries(after, 2);
    if (page.length === 0) {
      break;
    }
    entries.push(...page);
    after = page.at(-1)?.id;
  }
  return { docs, entries };
}

/** An embedder standing for a remote API that fails after `calls` successful calls. */
export function failingAfter(embedder: Embedder, calls: number): Embedder {
  let made = 0;
  return {
    id: embedder.id,
    dim: embedder.dim,
    async embed(texts, signal) {
      made += 1;
      if (made > calls) {
        throw new Error('embedding API unavailable (test)');
      }
      return embedder.embed(texts, signal);
    },
  };
}
