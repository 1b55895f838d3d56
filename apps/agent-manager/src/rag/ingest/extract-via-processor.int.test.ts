import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createRemoteAdapter, unpinnedTarget } from '@agentplane/processor-adapters';
import {
  createTmpDir,
  type SpawnedService,
  spawnService,
  type TmpDir,
  WORKSPACE_ROOT,
} from '@agentplane/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalEmbedder } from '../embedder.js';
import { newIngestJob } from '../ingest-job-record.js';
import { openSqliteStore } from '../sqlite-store.js';
import { tinyPdf } from '../test-support/tiny-pdf.js';
import { extractViaProcessor, type ProcessorExtractor } from './extract-via-processor.js';
import { runIngestJob } from './run-ingest-job.js';

// The real doc/extract, started once: its own main.ts through tsx, on a loopback port.
const entry = join(WORKSPACE_ROOT, 'apps/processors/doc_extract/src/main.ts');
const corrupt = new TextEncoder().encode('%PDF-1.4\nnot a pdf at all');
const dataUrl = (bytes: Uint8Array) =>
  `data:application/pdf;base64,${Buffer.from(bytes).toString('base64')}`;

describe('extractViaProcessor against doc/extract', () => {
  let tmp: TmpDir;
  let processor: SpawnedService;
  let extractor: ProcessorExtractor;
  let dir: string;

  beforeAll(async () => {
    tmp = await createTmpDir('extract-via-processor-');
    dir = join(tmp.path, 'extract');
    // mode=real is refused where CI is set in the processor's environment.
    processor = await spawnService({ entry, env: { CI: undefined } });
    extractor = extractViaProcessor({
      url: processor.baseUrl,
      processorId: 'doc/extract@1',
      dir,
      timeoutMs: 10_000,
    });
  });

  afterAll(async () => {
    await extractor?.close();
    await processor?.stop();
    await tmp?.remove();
  });

  it('returns the text of a PDF, with or without a content type', async () => {
    const pdf = tinyPdf(['Quarterly revenue grew', 'Second page here']);
    const text = await extractor.extract(pdf, 'application/pdf');
    expect(text).toContain('Quarterly revenue grew');
    expect(text).toContain('Second page here');
    expect(await extractor.extract(pdf, undefined)).toBe(text);
  });

  it("carries the envelope's code and issue when the processor refuses a document", async () => {
    const err = await extractor.extract(corrupt, 'application/pdf').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(
      /^doc\/extract@1 answered ERR_INPUTS_INVALID: .*\/inputs\/documents\/0: cannot parse as pdf/,
    );
    expect((err as Error).cause).toMatchObject({ code: 'ERR_INPUTS_INVALID' });
  });

  it('ingests a PDF through runIngestJob; a corrupt one fails alone', async () => {
    const store = await openSqliteStore({ path: join(tmp.path, 'rag.sqlite'), dim: 64 });
    try {
      const sources = [dataUrl(tinyPdf(['Zanzibar shipping ledger totals'])), dataUrl(corrupt)];
      const job = newIngestJob('job_pdf', {
        documents: sources.map((source, i) => ({ source, id: `pdf${i}` })),
        options: { chunk_size: 64, overlap: 0 },
      });
      await store.createJob(job);
      const deps = {
        store,
        embedder: createLocalEmbedder(64),
        load: { fetch, maxBytes: 1 << 20, timeoutMs: 1000 },
        processor: extractor.extract,
        publish: () => {},
      };
      await runIngestJob('job_pdf', deps, new AbortController().signal);
      const done = await store.getJob('job_pdf');
      expect(done).toMatchObject({ status: 'completed', docsDone: 1, docsFailed: 1 });
      expect(done?.documents[1]).toMatchObject({
        status: 'failed',
        error: { code: 'EXTRACT_FAILED' },
      });
      const hits = await store.textSearch('zanzibar ledger', 5, { collection: 'rag' });
      expect(hits.map((hit) => hit.docId)).toEqual(['pdf0']);
      expect(hits[0]?.content).toContain('Zanzibar shipping ledger totals');
    } finally {
      await store.close();
    }
  });

  it('says the folder must be shared when the output is not where this process looks', async () => {
    // A processor whose write_prefix lands elsewhere, as one with its own, unshared disk.
    const adapter = createRemoteAdapter({
      url: processor.baseUrl,
      target: unpinnedTarget('doc/extract@1', 10_000),
    });
    const elsewhere = join(tmp.path, 'processor-side');
    const unshared = extractViaProcessor({
      dir,
      adapter: {
        ...adapter,
        run: (request, options) =>
          adapter.run({ ...request, write_prefix: `${elsewhere}/{execution_id}/` }, options),
      },
    });
    try {
      await expect(unshared.extract(tinyPdf(['x']), 'application/pdf')).rejects.toThrow(
        /cannot read it here \(ENOENT\).*AM_RAG_EXTRACT_DIR.*both processes share/,
      );
    } finally {
      await unshared.close();
      await adapter.close();
    }
  });

  it('leaves no execution folders behind', async () => {
    expect(await readdir(dir)).toEqual([]);
  });
});
