import { createHash } from 'node:crypto';
import type { Embedder } from '../embedder.js';
import type { VectorStore } from '../store.js';

/** Texts sent to the embedder per call. */
const BATCH = 256;

/**
 * Embeds texts through the store's cache, keyed by SHA-256 of (embedder id, text): a chunk seen
 * before (another document, an earlier version of this one) costs no embedding call. The new
 * vectors come back as `fresh`, for the caller to store with its own write.
 */
export async function embedWithCache(
  store: VectorStore,
  embedder: Embedder,
  texts: readonly string[],
  signal?: AbortSignal,
): Promise<{ vectors: Float32Array[]; cacheHits: number; fresh: Map<string, Float32Array> }> {
  const hashes = texts.map((text) =>
    createHash('sha256').update(embedder.id).update('\0').update(text).digest('hex'),
  );
  const cached = await store.cachedEmbeddings([...new Set(hashes)]);
  const vectors: (Float32Array | undefined)[] = hashes.map((hash) => cached.get(hash));
  const cacheHits = vectors.filter((v) => v !== undefined).length;
  const missing = [...new Set(hashes.filter((hash) => !cached.has(hash)))];
  const textOf = new Map(hashes.map((hash, i) => [hash, texts[i] as string]));
  const fresh = new Map<string, Float32Array>();
  for (let start = 0; start < missing.length; start += BATCH) {
    const batch = missing.slice(start, start + BATCH);
    const out = await embedder.embed(
      batch.map((hash) => textOf.get(hash) as string),
      signal,
    );
    for (const [i, hash] of batch.entries()) {
      fresh.set(hash, out[i] as Float32Array);
    }
  }
  return {
    fresh,
    vectors: hashes.map((hash, i) => vectors[i] ?? (fresh.get(hash) as Float32Array)),
    cacheHits,
  };
}
