import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FakeOpenAI, fakeEmbedding, startFakeOpenAI } from '@agentplane/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAiEmbedder, EmbedderError } from './embedder.js';

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI({ embeddingDimensions: 64 });
});
afterAll(() => fake.close());

/**
 * A proxy in front of the fake that answers the first `failures` embeddings requests itself
 * (the fake cannot script failures for /v1/embeddings), then forwards.
 */
async function flakyProxy(
  failures: number,
  status: number,
  headers: Record<string, string> = {},
): Promise<{ baseURL: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server: Server = createServer(async (req, res) => {
    hits += 1;
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    if (hits <= failures) {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify({ error: { message: `injected ${status}`, type: 'server_error' } }));
      return;
    }
    const upstream = await fetch(`${fake.baseURL}${req.url?.replace(/^\/v1/, '')}`, {
      method: req.method ?? 'POST',
      headers: {
        authorization: req.headers.authorization ?? '',
        'content-type': 'application/json',
      },
      body: Buffer.concat(chunks),
    });
    res.writeHead(upstream.status, { 'content-type': 'application/json' });
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    hits: () => hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const dot = (a: Float32Array, b: readonly number[]) =>
  a.reduce((sum, v, i) => sum + v * (b[i] ?? 0), 0);

describe('createOpenAiEmbedder against the fake OpenAI server', () => {
  it('batches, keeps order, normalizes and learns dim from the first answer', async () => {
    const embedder = createOpenAiEmbedder({
      apiKey: 'sk-test',
      baseURL: fake.baseURL,
      model: 'custom-embed',
      batchSize: 2,
    });
    expect(embedder).toMatchObject({ id: 'openai:custom-embed', dim: 0 });
    const before = fake.requests.length;
    const texts = ['alpha beta', 'gamma delta', 'epsilon', '', 'zeta eta theta'];
    const vectors = await embedder.embed(texts);
    expect(embedder.dim).toBe(64);
    const sent = fake.requests.slice(before);
    expect(sent.map((r) => (r.body.input as string[]).length)).toEqual([2, 2, 1]);
    expect(sent[0]).toMatchObject({
      path: '/v1/embeddings',
      authorization: 'Bearer sk-test',
      body: { model: 'custom-embed', encoding_format: 'base64' },
    });
    // Each vector is the fake's embedding of the same text (order kept, base64 decoded).
    for (const [i, vector] of vectors.entries()) {
      const expected = fakeEmbedding(texts[i] === '' ? ' ' : (texts[i] as string), 64);
      expect(dot(vector, expected)).toBeCloseTo(1, 5);
    }
    expect(await embedder.embed([])).toEqual([]);
  });

  it('asks for `dimensions` when given, and knows dim before any call', async () => {
    const embedder = createOpenAiEmbedder({
      apiKey: 'sk-test',
      baseURL: fake.baseURL,
      model: 'text-embedding-3-small',
      dimensions: 32,
    });
    expect(embedder.dim).toBe(32);
    const [vector] = await embedder.embed(['hello']);
    expect(vector).toHaveLength(32);
    expect(fake.requests.at(-1)?.body.dimensions).toBe(32);
  });

  it('retries a 500 and succeeds on the next attempt', async () => {
    const proxy = await flakyProxy(1, 500);
    try {
      const embedder = createOpenAiEmbedder({
        apiKey: 'sk-test',
        baseURL: proxy.baseURL,
        model: 'm',
      });
      const [vector] = await embedder.embed(['retry me']);
      expect(proxy.hits()).toBe(2);
      expect(dot(vector as Float32Array, fakeEmbedding('retry me', 64))).toBeCloseTo(1, 5);
    } finally {
      await proxy.close();
    }
  });

  it('retries a 429 (after its retry-after) and gives up after maxRetries', async () => {
    const proxy = await flakyProxy(10, 429, { 'retry-after-ms': '5' });
    try {
      const embedder = createOpenAiEmbedder({
        apiKey: 'sk-test',
        baseURL: proxy.baseURL,
        model: 'm',
        maxRetries: 2,
      });
      const err = await embedder.embed(['x']).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EmbedderError);
      expect(err).toMatchObject({ status: 429, retryable: true });
      expect((err as Error).message).toContain('injected 429');
      expect(proxy.hits()).toBe(3);
    } finally {
      await proxy.close();
    }
  });

  it('does not retry a 4xx such as a bad key', async () => {
    const proxy = await flakyProxy(10, 401);
    try {
      const embedder = createOpenAiEmbedder({ apiKey: 'bad', baseURL: proxy.baseURL, model: 'm' });
      await expect(embedder.embed(['x'])).rejects.toMatchObject({ status: 401, retryable: false });
      expect(proxy.hits()).toBe(1);
    } finally {
      await proxy.close();
    }
  });

  it('retries network errors and time-outs, keeping the cause', async () => {
    const hang = createServer(() => {}); // accepts, never answers
    await new Promise<void>((resolve) => hang.listen(0, '127.0.0.1', resolve));
    try {
      const embedder = createOpenAiEmbedder({
        apiKey: 'sk-test',
        baseURL: `http://127.0.0.1:${(hang.address() as AddressInfo).port}/v1`,
        model: 'm',
        timeoutMs: 50,
        maxRetries: 1,
      });
      const err = await embedder.embed(['x']).catch((e: unknown) => e);
      expect(err).toMatchObject({ retryable: true, message: expect.stringContaining('timed out') });
      expect((err as Error).cause).toBeDefined();
    } finally {
      hang.closeAllConnections();
      await new Promise<void>((resolve) => hang.close(() => resolve()));
    }
  });
});
