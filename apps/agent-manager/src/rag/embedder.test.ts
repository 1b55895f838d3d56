import { describe, expect, it } from 'vitest';
import { createLocalEmbedder, selectEmbedder } from './embedder.js';

const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, v, i) => sum + v * (b[i] ?? 0), 0);
const norm = (a: Float32Array) => Math.sqrt(dot(a, a));

describe('createLocalEmbedder', () => {
  const embedder = createLocalEmbedder();

  it('returns one unit vector of `dim` per text, deterministically', async () => {
    const texts = ['The cat sat on the mat.', 'Ünïcödé wörds 123 ΔΣ 東京', 'a'];
    const first = await embedder.embed(texts);
    const again = await createLocalEmbedder().embed(texts);
    expect(embedder).toMatchObject({ id: 'local-hash-v1', dim: 384 });
    expect(first).toHaveLength(3);
    for (const [i, vector] of first.entries()) {
      expect(vector).toHaveLength(384);
      expect(norm(vector)).toBeCloseTo(1, 5);
      expect(vector).toEqual(again[i]);
    }
  });

  it('gives similar texts similar vectors', async () => {
    const base = 'Postgres stores the chunks and the vectors of every document we ingest';
    const [a, near, far] = await embedder.embed([
      base,
      `${base} quickly`,
      'The weather in Lisbon is sunny with a light breeze from the ocean',
    ]);
    expect(dot(a!, near!)).toBeGreaterThan(0.9);
    expect(dot(a!, near!)).toBeGreaterThan(dot(a!, far!) + 0.5);
    // Case and punctuation do not matter; word order does a little (bigrams).
    const [x, y, z] = await embedder.embed(['Hello, World!', 'hello world', 'world hello']);
    expect(dot(x!, y!)).toBeCloseTo(1, 5);
    expect(dot(x!, z!)).toBeLessThan(0.99);
    expect(dot(x!, z!)).toBeGreaterThan(0.5);
  });

  it('gives text without words a fixed unit vector, not NaN', async () => {
    const [empty, punct] = await embedder.embed(['', ' ... !!! ']);
    expect(norm(empty!)).toBeCloseTo(1, 5);
    expect(empty).toEqual(punct);
    expect(empty!.every(Number.isFinite)).toBe(true);
  });

  it('honours the abort signal', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(embedder.embed(['x'], controller.signal)).rejects.toBe(reason);
  });
});

describe('selectEmbedder', () => {
  it('uses OpenAI when a key is set, else the local embedder', () => {
    expect(selectEmbedder({})).toMatchObject({ id: 'local-hash-v1', dim: 384 });
    expect(selectEmbedder({ AM_EMBED_DIM: 256 })).toMatchObject({ dim: 256 });
    expect(selectEmbedder({ OPENAI_API_KEY: 'sk-test' })).toMatchObject({
      id: 'openai:text-embedding-3-small',
      dim: 1536,
    });
    expect(
      selectEmbedder({
        OPENAI_API_KEY: 'sk-test',
        AM_EMBED_MODEL: 'text-embedding-3-large',
        AM_EMBED_DIM: 1024,
      }),
    ).toMatchObject({ id: 'openai:text-embedding-3-large', dim: 1024 });
    expect(selectEmbedder({ OPENAI_API_KEY: 'sk-test', AM_EMBED_MODEL: 'local' }).id).toBe(
      'local-hash-v1',
    );
    expect(selectEmbedder({ OPENAI_API_KEY: '  ' }).id).toBe('local-hash-v1');
  });
});
