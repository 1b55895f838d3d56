import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusDoc, dataUrl } from './rag/test-support/corpus.js';
import { type LiveAgentManager, startLiveAgentManager } from './test-support/live-agent-manager.js';

// Workers may still be starting when a suite's first job is queued.
const JOB_WAIT = { timeout: 30_000, interval: 100 };

async function send(am: LiveAgentManager, method: string, path: string, body?: unknown) {
  const res = await fetch(`${am.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${am.apiKey}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: (text === '' ? {} : JSON.parse(text)) as {
      error?: { code: string; message: string; correlation_id: string };
    } & Record<string, unknown>,
  };
}

describe('RAG and memory: bad input gets a 4xx envelope and writes nothing', () => {
  let am: LiveAgentManager;
  beforeAll(async () => {
    am = await startLiveAgentManager({ variant: 'embedded', workers: 1 });
  }, 60_000);
  afterAll(async () => {
    await am?.stop();
  });

  it('refuses invalid ingest batches and queries', async () => {
    const root = join(am.dataDir, 'documents');
    mkdirSync(root, { recursive: true });
    symlinkSync('/etc', join(root, 'escape'));
    const doc = { source: dataUrl('hello') };
    const cases: [string, string, unknown, number, string][] = [
      ['POST', '/rag/ingest/batch', '{"documents": [', 400, 'MALFORMED_JSON'],
      ['POST', '/rag/ingest/batch', {}, 400, 'VALIDATION_ERROR'],
      ['POST', '/rag/ingest/batch', { documents: [] }, 400, 'VALIDATION_ERROR'],
      ['POST', '/rag/ingest/batch', { documents: Array(1001).fill(doc) }, 400, 'VALIDATION_ERROR'],
      [
        'POST',
        '/rag/ingest/batch',
        { documents: [doc], options: { chunk_size: 64, overlap: 64 } },
        400,
        'VALIDATION_ERROR',
      ],
      ['POST', '/rag/ingest/batch', { documents: [{ ...doc, extra: 1 }] }, 400, 'VALIDATION_ERROR'],
      [
        'POST',
        '/rag/ingest/batch',
        { documents: [{ ...doc, date: '2024-13-45' }] },
        400,
        'VALIDATION_ERROR',
      ],
      [
        'POST',
        '/rag/ingest/batch',
        { documents: [{ source: 'file:///etc/passwd' }] },
        403,
        'SOURCE_NOT_ALLOWED',
      ],
      [
        'POST',
        '/rag/ingest/batch',
        { documents: [{ source: `file://${root}/../rag.sqlite` }] },
        403,
        'SOURCE_NOT_ALLOWED',
      ],
      [
        'POST',
        '/rag/ingest/batch',
        { documents: [doc, { source: 'http://127.0.0.1:9/x' }] },
        403,
        'SOURCE_NOT_ALLOWED',
      ],
      [
        'POST',
        '/rag/ingest/batch',
        { documents: [{ source: 'http://169.254.169.254/latest' }] },
        403,
        'SOURCE_NOT_ALLOWED',
      ],
      [
        'POST',
        '/rag/ingest/batch',
        { documents: [{ source: 'http://[::1]/' }] },
        403,
        'SOURCE_NOT_ALLOWED',
      ],
      [
        'POST',
        '/rag/ingest/batch',
        { documents: [{ source: 'gopher://example.com/' }] },
        403,
        'SOURCE_NOT_ALLOWED',
      ],
      [
        'POST',
        '/rag/ingest/batch',
        { documents: [{ source: 'not a url' }] },
        403,
        'SOURCE_NOT_ALLOWED',
      ],
      ['POST', '/rag/query', { query: 'x', top_k: 0 }, 400, 'VALIDATION_ERROR'],
      ['POST', '/rag/query', { query: 'x', top_k: 101 }, 400, 'VALIDATION_ERROR'],
      ['POST', '/rag/query', { query: '' }, 400, 'VALIDATION_ERROR'],
      ['POST', '/rag/query', { query: 'x', filters: { tenant: 'a' } }, 400, 'VALIDATION_ERROR'],
      [
        'POST',
        '/rag/query',
        { query: 'x', filters: { metadata: { 'bad key!': 1 } } },
        400,
        'VALIDATION_ERROR',
      ],
      [
        'POST',
        '/rag/query',
        { query: 'x', filters: { date_range: ['2024-01-01'] } },
        400,
        'VALIDATION_ERROR',
      ],
      [
        'POST',
        '/rag/query',
        { query: 'x', filters: { date_range: ['2024-02-01', '2024-01-01'] } },
        400,
        'VALIDATION_ERROR',
      ],
      ['POST', '/rag/query', { query: 'x', mode: 'fuzzy' }, 400, 'VALIDATION_ERROR'],
      [
        'POST',
        '/memory/batch',
        { scope: 'session', entries: [{ content: 'x' }] },
        400,
        'VALIDATION_ERROR',
      ],
      [
        'POST',
        '/memory/batch',
        { scope: 'forever', entries: [{ content: 'x' }] },
        400,
        'VALIDATION_ERROR',
      ],
      [
        'POST',
        '/memory/batch',
        { scope: 'longterm', entries: Array(1001).fill({ content: 'x' }) },
        400,
        'VALIDATION_ERROR',
      ],
      ['GET', '/memory?query=x&limit=0', undefined, 400, 'VALIDATION_ERROR'],
      ['GET', '/memory?query=x&tags=a,,b', undefined, 400, 'VALIDATION_ERROR'],
      ['GET', '/memory', undefined, 400, 'VALIDATION_ERROR'],
      ['GET', `/rag/jobs/job_${'0'.repeat(24)}`, undefined, 404, 'NOT_FOUND'],
      ['GET', '/rag/jobs/job_nope', undefined, 400, 'VALIDATION_ERROR'],
      ['DELETE', '/rag/documents/nope', undefined, 404, 'NOT_FOUND'],
      ['DELETE', `/memory/mem_${'0'.repeat(24)}`, undefined, 404, 'NOT_FOUND'],
      ['DELETE', '/memory/mem_nope', undefined, 400, 'VALIDATION_ERROR'],
    ];
    for (const [method, path, body, status, code] of cases) {
      const res = await send(am, method, path, body);
      expect({ path, body, status: res.status, code: res.body.error?.code }).toEqual({
        path,
        body,
        status,
        code,
      });
      expect(res.body.error?.correlation_id).toBeTruthy();
    }
    // Nothing was queued or written by any of them.
    const stats = await am.client.getRagStats();
    expect(stats.status === 200 && stats.body.chunks).toBe(0);
  });

  it('a document that fails (missing file, symlink out of the root) fails alone', async () => {
    const root = join(am.dataDir, 'documents');
    writeFileSync(join(root, 'ok.txt'), corpusDoc(1).text);
    const res = await am.client.ingestBatch({
      body: {
        documents: [
          { source: `file://${join(root, 'ok.txt')}`, id: 'ok' },
          { source: `file://${join(root, 'missing.txt')}` },
          { source: `file://${join(root, 'escape', 'passwd')}` },
          { source: 'data:application/octet-stream;base64,AAECAwQFBgc=' },
        ],
      },
    });
    if (res.status !== 202) {
      throw new Error(`ingest: ${res.status}`);
    }
    await expect
      .poll(async () => {
        const job = await am.client.getIngestJob({ params: { job_id: res.body.job_id } });
        return job.status === 200 ? job.body.status : '';
      }, JOB_WAIT)
      .toBe('completed');
    const job = await am.client.getIngestJob({ params: { job_id: res.body.job_id } });
    if (job.status !== 200) {
      throw new Error('job');
    }
    expect(job.body.documents.map((d) => [d.status, d.error?.code])).toEqual([
      ['done', undefined],
      ['failed', 'SOURCE_NOT_FOUND'],
      ['failed', 'SOURCE_NOT_ALLOWED'],
      ['failed', 'UNSUPPORTED_FORMAT'],
    ]);
    expect(job.body).toMatchObject({ docs_done: 1, docs_failed: 3 });
  });
});

describe('memory through the generated client', () => {
  let am: LiveAgentManager;
  beforeAll(async () => {
    am = await startLiveAgentManager({
      variant: 'embedded',
      workers: 1,
      env: { AM_SESSION_TTL_S: '2' },
    });
  }, 60_000);
  afterAll(async () => {
    await am?.stop();
  });

  it('writes, reads ranked by hybrid search, filters by scope and tags, deletes', async () => {
    const long = await am.client.writeMemory({
      body: {
        scope: 'longterm',
        entries: [
          { content: 'User prefers dark mode in every editor', tags: ['ui', 'prefs'] },
          { content: 'User lives in Lisbon and works remotely', tags: ['profile'] },
          { content: 'Quarterly sales target is two million', tags: ['sales'] },
        ],
      },
    });
    expect(long.status).toBe(201);
    const ids = long.status === 201 ? long.body.ids : [];
    expect(ids).toHaveLength(3);
    const session = await am.client.writeMemory({
      body: {
        scope: 'session',
        session_id: 's1',
        entries: [{ content: 'Currently editing the dark mode settings page' }],
      },
    });
    expect(session.status).toBe(201);

    const read = await am.client.readMemory({
      query: { query: 'dark mode preferences', limit: 10 },
    });
    expect(read.status).toBe(200);
    if (read.status === 200) {
      expect(read.body.entries[0]?.id).toBe(ids[0]);
      expect(read.body.entries.map((e) => e.scope)).toContain('session');
    }
    const raw = await send(am, 'GET', '/memory?query=dark%20mode');
    expect(raw.headers.get('cache-control')).toBe('max-age=60');

    const tagged = await am.client.readMemory({
      query: { query: 'user', tags: 'profile', limit: 10 },
    });
    expect(tagged.status === 200 && tagged.body.entries.map((e) => e.id)).toEqual([ids[1]]);
    const onlyLong = await am.client.readMemory({
      query: { query: 'dark mode', scope: 'longterm', limit: 10 },
    });
    expect(
      onlyLong.status === 200 && onlyLong.body.entries.every((e) => e.scope === 'longterm'),
    ).toBe(true);

    // A write is visible to the very next read (the service's cache is keyed by the store's state).
    await am.client.writeMemory({
      body: { scope: 'longterm', entries: [{ content: 'User switched to light mode' }] },
    });
    const after = await am.client.readMemory({
      query: { query: 'dark mode preferences', limit: 10 },
    });
    expect(
      after.status === 200 && after.body.entries.some((e) => e.content.includes('light mode')),
    ).toBe(true);

    const gone = await am.client.deleteMemory({ params: { memory_id: ids[2] as string } });
    expect(gone.status).toBe(200);
    const sales = await am.client.readMemory({ query: { query: 'sales target', limit: 10 } });
    expect(sales.status === 200 && sales.body.entries.some((e) => e.id === ids[2])).toBe(false);
  });

  it('agents remember and recall through the memory.* and rag.query tools', async () => {
    const goal =
      'Do {"tool": "memory.write", "arguments": {"scope": "session", "entries": ' +
      '[{"content": "the agent noted a narwhal sighting", "tags": ["zoo"]}]}} and ' +
      '{"tool": "rag.query", "arguments": {"query": "narwhal"}}';
    const created = await am.client.createAgent({
      body: { goal, capabilities: ['memory', 'rag'], max_steps: 3 },
    });
    if (created.status !== 201) {
      throw new Error(`create: ${created.status}`);
    }
    const agent_id = created.body.agent_id;
    await am.client.startAgent({ params: { agent_id }, query: { stream: 'false' } });
    await expect
      .poll(async () => {
        const view = await am.client.getAgent({ params: { agent_id } });
        return view.status === 200 ? view.body.status : '';
      }, JOB_WAIT)
      .toBe('completed');
    // Written by the worker, as session memory of the agent's own session.
    const read = await am.client.readMemory({
      query: { query: 'narwhal', session_id: agent_id, tags: 'zoo', limit: 5 },
    });
    expect(read.status === 200 && read.body.entries.map((e) => [e.content, e.scope])).toEqual([
      ['the agent noted a narwhal sighting', 'session'],
    ]);
    // And directly, with the capability checked.
    const invoked = await am.client.invokeTool({
      body: { tool: 'memory.read', inputs: { query: 'narwhal sighting' }, agent_id },
    });
    expect(invoked.status).toBe(200);
    const denied = await am.client.createAgent({ body: { goal: 'x', capabilities: ['fs'] } });
    if (denied.status === 201) {
      const res = await am.client.invokeTool({
        body: { tool: 'rag.query', inputs: { query: 'x' }, agent_id: denied.body.agent_id },
      });
      expect(res.status).toBe(403);
    }
  });

  it('session entries expire after AM_SESSION_TTL_S', async () => {
    await am.client.writeMemory({
      body: { scope: 'session', session_id: 's2', entries: [{ content: 'ephemeral walrus note' }] },
    });
    const now = await am.client.readMemory({
      query: { query: 'walrus', session_id: 's2', limit: 5 },
    });
    expect(now.status === 200 && now.body.entries).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const later = await am.client.readMemory({
      query: { query: 'walrus', session_id: 's2', limit: 5 },
    });
    expect(later.status === 200 && later.body.entries).toHaveLength(0);
  });
});

describe('RAG ingest over http(s) and a worker killed mid-ingest', () => {
  let am: LiveAgentManager;
  let server: Server;
  let base: string;
  let httpJobId: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const m = /^\/doc\/(\d+)\.(txt|html)$/.exec(req.url ?? '');
      if (!m) {
        res.writeHead(404).end();
        return;
      }
      const text = corpusDoc(Number(m[1]), 600).text;
      if (m[2] === 'html') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(
          `<html><head><script>var secret = 1;</script></head><body><p>${text}</p></body></html>`,
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end(text);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    am = await startLiveAgentManager({
      variant: 'embedded',
      workers: 2,
      env: { AM_HTTP_ALLOW_PRIVATE: 'true' },
    });
  }, 60_000);
  afterAll(async () => {
    await am?.stop();
    server?.close();
  });

  it('loads http(s) sources (HTML without its scripts)', async () => {
    const res = await am.client.ingestBatch({
      body: {
        documents: [{ source: `${base}/doc/1.html`, id: 'h1' }, { source: `${base}/doc/2.txt` }],
      },
    });
    if (res.status !== 202) {
      throw new Error(`ingest: ${res.status}`);
    }
    httpJobId = res.body.job_id;
    await expect
      .poll(async () => {
        const job = await am.client.getIngestJob({ params: { job_id: res.body.job_id } });
        return job.status === 200 ? [job.body.status, job.body.docs_done] : [];
      }, JOB_WAIT)
      .toEqual(['completed', 2]);
    const q = await am.client.queryRag({
      body: { query: 'secret', mode: 'text', filters: { doc_id: 'h1' } },
    });
    expect(q.status === 200 && q.body.results).toEqual([]);
  });

  it('SIGKILLed workers leave no partial document; the job completes on retry', async () => {
    const DOCS = 300;
    const res = await am.client.ingestBatch({
      body: {
        documents: Array.from({ length: DOCS }, (_, i) => ({
          source: `${base}/doc/${i}.txt`,
          id: `k${i}`,
        })),
        options: { chunk_size: 32, overlap: 4 },
      },
    });
    if (res.status !== 202) {
      throw new Error(`ingest: ${res.status}`);
    }
    const jobId = res.body.job_id;
    await expect
      .poll(
        async () => {
          const job = await am.client.getIngestJob({ params: { job_id: jobId } });
          return job.status === 200 ? job.body.docs_done : 0;
        },
        { timeout: 30_000, interval: 20 },
      )
      .toBeGreaterThan(0);
    const workers = await am.admin.listWorkers();
    if (workers.status !== 200) {
      throw new Error('workers');
    }
    for (const worker of workers.body.workers) {
      process.kill(worker.pid, 'SIGKILL');
    }
    const killedAt = await am.client.getIngestJob({ params: { job_id: jobId } });
    expect(killedAt.status === 200 && killedAt.body.docs_done).toBeLessThan(DOCS);
    await expect
      .poll(
        async () => {
          const job = await am.client.getIngestJob({ params: { job_id: jobId } });
          return job.status === 200 ? job.body.status : '';
        },
        { timeout: 60_000, interval: 200 },
      )
      .toBe('completed');
    const job = await am.client.getIngestJob({ params: { job_id: jobId } });
    if (job.status !== 200) {
      throw new Error('job');
    }
    expect(job.body).toMatchObject({ docs_done: DOCS, docs_failed: 0 });
    // Every document is whole: its chunk count is the one its job state recorded, once.
    for (const [i, state] of job.body.documents.entries()) {
      const doc = await am.client.getRagDocument({ params: { doc_id: `k${i}` } });
      expect(doc.status === 200 && doc.body.chunks).toBe(state.chunks);
    }
    // And no stray chunk: the store holds exactly the chunks of both jobs' documents.
    const first = await am.client.getIngestJob({ params: { job_id: httpJobId } });
    const sum = (docs: { chunks?: number }[]) => docs.reduce((n, d) => n + (d.chunks ?? 0), 0);
    const stats = await am.client.getRagStats();
    expect(stats.status === 200 && stats.body.chunks).toBe(
      sum(job.body.documents) + (first.status === 200 ? sum(first.body.documents) : NaN),
    );
  }, 120_000);
});
