import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IngestBatchRequestBody } from '@agentplane/contracts';
import { describeWithService } from '@agentplane/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalEmbedder } from './rag/embedder.js';
import type { VectorStore } from './rag/store.js';
import { corpusDoc, corpusQuery, dataUrl } from './rag/test-support/corpus.js';
import { type RagVariant, startRagVariant } from './rag/test-support/rag-variants.js';
import type { LiveAgentManager } from './test-support/live-agent-manager.js';

const DOCS = 1000;
// sqlite: small chunks, ~4 per document, so the 1,000 documents make ~4,000 rows. pgvector on
// PGlite inserts into its HNSW graph at ~70 rows/s here: one chunk per document.
const OPTIONS_OF = {
  sqlite: { chunk_size: 96, overlap: 16 },
  pgvector: { chunk_size: 1024, overlap: 16 },
  real: { chunk_size: 96, overlap: 16 },
} as const;

async function waitForJob(am: LiveAgentManager, jobId: string, timeout = 120_000) {
  let last: unknown;
  await expect
    .poll(
      async () => {
        const job = await am.client.getIngestJob({ params: { job_id: jobId } });
        last = job.body;
        return job.status === 200 ? job.body.status : `HTTP ${job.status}`;
      },
      { timeout, interval: 200 },
    )
    .toBe('completed');
  return last as {
    docs_done: number;
    docs_failed: number;
    chunks_done: number;
    embed_cache_hits: number;
    documents: { status: string; doc_id?: string; chunks?: number; unchanged?: boolean }[];
  };
}

function recallAt10(got: readonly string[], truth: readonly string[]): number {
  const set = new Set(got.slice(0, 10));
  return truth.length === 0 ? 1 : truth.filter((id) => set.has(id)).length / truth.length;
}

const variants: { name: string; variant: RagVariant }[] = [
  { name: 'sqlite store, embedded service', variant: 'sqlite' },
  {
    name: 'pgvector store on PGlite over pglite-socket (pg driver); Postgres, BullMQ and Redis when set',
    variant: 'pgvector',
  },
];

for (const { name, variant } of variants) {
  describe(`RAG through the generated client: ${name}`, () => {
    let am: LiveAgentManager;
    let store: VectorStore;
    let close: () => Promise<void>;
    const embedder = createLocalEmbedder(384);
    const OPTIONS = OPTIONS_OF[variant];
    let jobId: string;

    beforeAll(async () => {
      ({ am, store, close } = await startRagVariant(variant, {
        // Both query classes go through the ANN path here (a filter up to 4 × this is exact).
        AM_RAG_EXACT_MAX: '5',
        AM_RAG_RECALL_SAMPLE_RATE: '1',
        // 1,000 documents as data: URLs in one request are ~2 MB, over the 1 MiB default.
        BODY_LIMIT_BYTES: String(16 * 1024 * 1024),
      }));
      // 50 of the documents are files under the allowed root, the rest data: URLs.
      const root = join(am.dataDir, 'documents');
      mkdirSync(root, { recursive: true });
      const documents: IngestBatchRequestBody['documents'] = [];
      for (let i = 0; i < DOCS; i += 1) {
        const doc = corpusDoc(i);
        let source = dataUrl(doc.text);
        if (i < 50) {
          writeFileSync(join(root, `doc-${i}.md`), `# Document ${i}\n\n${doc.text}\n`);
          source = `file://${join(root, `doc-${i}.md`)}`;
        }
        documents.push({
          source,
          id: `d${i}`,
          date: doc.date,
          metadata: { tenant: doc.tenant, topic: doc.topic, even: i % 2 === 0 },
        });
      }
      const accepted = await am.client.ingestBatch({ body: { documents, options: OPTIONS } });
      if (accepted.status !== 202) {
        throw new Error(`ingest: ${accepted.status} ${JSON.stringify(accepted.body)}`);
      }
      expect(accepted.body).toMatchObject({ status: 'processing', count: DOCS });
      jobId = accepted.body.job_id;
    }, 90_000);
    afterAll(async () => {
      await am?.stop();
      await close?.();
    }, 30_000);

    it('ingests 1,000 documents as one job, progress streamed to the end', async () => {
      const stream = await am.client.streamIngestJob({ params: { job_id: jobId } });
      expect(stream.status).toBe(200);
      const seen: string[] = [];
      if (stream.status === 200) {
        for await (const event of stream.events) {
          seen.push(event.event);
          if (event.event === 'complete') {
            expect(event).toMatchObject({ docs_done: DOCS, docs_failed: 0, docs_total: DOCS });
          }
        }
      }
      // On failure, what the service logged above info says why the stream ended.
      const logged = am.svc.stderr.filter((line) => /"level":(40|50|60)/.test(line)).slice(-5);
      expect(seen.at(-1), `events ${seen.slice(-3).join(',')}; ${logged.join('\n')}`).toBe(
        'complete',
      );
      const job = await waitForJob(am, jobId);
      expect(job.docs_failed).toBe(0);
      expect(job.chunks_done).toBeGreaterThanOrEqual(DOCS);
      const stats = await am.client.getRagStats();
      expect(stats.status === 200 && stats.body.chunks).toBe(job.chunks_done);
      const doc = await am.client.getRagDocument({ params: { doc_id: 'd7' } });
      expect(doc.status === 200 && doc.body.metadata).toEqual({
        tenant: corpusDoc(7).tenant,
        topic: 7,
        even: false,
      });
    }, 180_000);

    it('recall@10 against exact search ≥ 0.95, unfiltered and filtered', async () => {
      await waitForJob(am, jobId);
      let unfiltered = 0;
      let filtered = 0;
      const QUERIES = 30;
      for (let q = 0; q < QUERIES; q += 1) {
        const { text } = corpusQuery(q);
        const tenant = `t${q % 20}`;
        for (const [cls, filters] of [
          ['unfiltered', undefined],
          ['filtered', { metadata: { tenant } }],
        ] as const) {
          const res = await am.client.queryRag({
            body: { query: text, top_k: 10, mode: 'vector', ...(filters ? { filters } : {}) },
          });
          if (res.status !== 200) {
            throw new Error(`query: ${res.status}`);
          }
          expect(res.body.plan).not.toBe('exact');
          const [vector] = await embedder.embed([text]);
          const truth = await store.exactSearch(vector as Float32Array, 10, {
            collection: 'rag',
            ...(filters ? { metadata: filters.metadata } : {}),
          });
          const r = recallAt10(
            res.body.results.map((hit) => hit.source.chunk_id),
            truth.map((hit) => hit.id),
          );
          if (cls === 'filtered') {
            filtered += r / QUERIES;
            for (const hit of res.body.results) {
              expect(hit.source.metadata.tenant).toBe(tenant);
            }
          } else {
            unfiltered += r / QUERIES;
          }
        }
      }
      process.stderr.write(
        `[rag ${variant}] recall@10 unfiltered ${unfiltered.toFixed(3)}, filtered ${filtered.toFixed(3)}\n`,
      );
      expect(unfiltered).toBeGreaterThanOrEqual(0.95);
      expect(filtered).toBeGreaterThanOrEqual(0.95);
      // The service measures the same thing on its own (every query sampled here).
      await expect
        .poll(async () => {
          const stats = await am.client.getRagStats();
          return stats.status === 200 ? stats.body.recall.filtered.samples : 0;
        })
        .toBeGreaterThan(0);
      const stats = await am.client.getRagStats();
      if (stats.status === 200) {
        expect(stats.body.recall.unfiltered.recall_at_10).toBeGreaterThanOrEqual(0.95);
        expect(stats.body.recall.filtered.recall_at_10).toBeGreaterThanOrEqual(0.95);
      }
      const metrics = await (await fetch(`${am.baseUrl}/metrics`)).text();
      const gauge = /am_rag_recall_at_10\{class="filtered"\} ([\d.]+)/.exec(metrics);
      expect(Number(gauge?.[1])).toBeGreaterThanOrEqual(0.95);
    }, 120_000);

    it('filters and date ranges restrict hybrid and text results', async () => {
      await waitForJob(am, jobId);
      const { text } = corpusQuery(3);
      const res = await am.client.queryRag({
        body: {
          query: text,
          top_k: 20,
          filters: {
            metadata: { even: true, tenant: 't3' },
            date_range: ['2017-01-01', '2019-12-31'],
          },
        },
      });
      expect(res.status).toBe(200);
      if (res.status === 200) {
        expect(res.body.results.length).toBeGreaterThan(0);
        for (const hit of res.body.results) {
          expect(hit.source.metadata).toMatchObject({ even: true, tenant: 't3' });
          expect(hit.source.date! >= '2017-01-01' && hit.source.date! <= '2019-12-31').toBe(true);
        }
      }
      const typed = await am.client.queryRag({
        body: { query: text, filters: { metadata: { topic: '3' } } },
      });
      // 3 (a number) was stored, so the string '3' matches nothing.
      expect(typed.status === 200 && typed.body.results).toEqual([]);
      const textOnly = await am.client.queryRag({
        body: { query: text, mode: 'text', filters: { doc_id: 'd3' } },
      });
      expect(
        textOnly.status === 200 && textOnly.body.results.every((h) => h.source.doc_id === 'd3'),
      ).toBe(true);
    });

    it('re-ingest: unchanged documents are kept, a changed one replaced, cache hits counted', async () => {
      await waitForJob(am, jobId);
      // Documents 60 and 61 were ingested as data: URLs of their text.
      const changed = `${corpusDoc(61).text} zebracorn appended sentence.`;
      const again = await am.client.ingestBatch({
        body: {
          documents: [
            {
              source: dataUrl(corpusDoc(60).text),
              id: 'd60',
              date: corpusDoc(60).date,
              metadata: { tenant: corpusDoc(60).tenant, topic: 10, even: true },
            },
            {
              source: dataUrl(changed),
              id: 'd61',
              date: corpusDoc(61).date,
              metadata: { tenant: corpusDoc(61).tenant, topic: 11, even: false },
            },
            // Another document with d62's text: every chunk is in the embedding cache.
            { source: dataUrl(corpusDoc(62).text), id: 'copy62' },
          ],
          options: OPTIONS,
        },
      });
      if (again.status !== 202) {
        throw new Error(`re-ingest: ${again.status}`);
      }
      const job = await waitForJob(am, again.body.job_id);
      expect(job.documents[0]).toMatchObject({ status: 'done', unchanged: true });
      expect(job.documents[1]).toMatchObject({ status: 'done' });
      expect(job.documents[1]?.unchanged).toBeUndefined();
      expect(job.documents[2]).toMatchObject({ status: 'done' });
      expect(job.embed_cache_hits).toBeGreaterThanOrEqual(job.documents[2]?.chunks ?? 1);
      const hit = await am.client.queryRag({ body: { query: 'zebracorn', mode: 'text' } });
      expect(hit.status === 200 && hit.body.results[0]?.source.doc_id).toBe('d61');
      const count = await store.countMatching({ collection: 'rag', docId: 'd61' }, 1000);
      const doc = await am.client.getRagDocument({ params: { doc_id: 'd61' } });
      expect(doc.status === 200 && doc.body.chunks).toBe(count);
    }, 60_000);

    it('DELETE /rag/documents/{id} removes every chunk at once', async () => {
      await waitForJob(am, jobId);
      const gone = await am.client.deleteRagDocument({ params: { doc_id: 'd9' } });
      expect(gone).toMatchObject({ status: 200, body: { doc_id: 'd9', deleted: true } });
      expect(await store.countMatching({ collection: 'rag', docId: 'd9' }, 10)).toBe(0);
      const again = await am.client.deleteRagDocument({ params: { doc_id: 'd9' } });
      expect(again.status).toBe(404);
      const res = await am.client.queryRag({
        body: { query: corpusDoc(9).text.slice(0, 200), top_k: 50 },
      });
      expect(res.status === 200 && res.body.results.some((h) => h.source.doc_id === 'd9')).toBe(
        false,
      );
    });
  });
}

describeWithService('redis', 'RAG ingest on BullMQ workers (real Redis and Postgres)', () => {
  describeWithService('postgres', 'with Postgres', () => {
    let am: LiveAgentManager;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ am, close } = await startRagVariant('real'));
    }, 60_000);
    afterAll(async () => {
      await am?.stop();
      await close?.();
    });

    it('runs a job on the workers and answers queries from it', async () => {
      const documents = Array.from({ length: 40 }, (_, i) => ({
        source: dataUrl(corpusDoc(i).text),
        id: `r${i}`,
        metadata: { tenant: corpusDoc(i).tenant },
      }));
      const bus = await am.client.streamBusEvents({ query: { topics: 'rag.events' } });
      if (bus.status !== 200) {
        throw new Error(`bus: ${bus.status}`);
      }
      const accepted = await am.client.ingestBatch({ body: { documents } });
      if (accepted.status !== 202) {
        throw new Error(`ingest: ${accepted.status}`);
      }
      const job = await waitForJob(am, accepted.body.job_id);
      expect(job.docs_done).toBe(40);
      // rag.events over Redis Streams: progress, then the seed's ingest.complete.
      const seen: string[] = [];
      for await (const message of bus.events) {
        seen.push(message.event);
        if (message.event === 'ingest.complete') {
          expect(message.payload).toEqual({ job_id: accepted.body.job_id, docs_indexed: 40 });
          break;
        }
      }
      expect(seen).toContain('ingest.progress');
      const res = await am.client.queryRag({ body: { query: corpusQuery(1).text, top_k: 3 } });
      expect(res.status === 200 && res.body.results.length).toBe(3);
    }, 60_000);
  });
});
