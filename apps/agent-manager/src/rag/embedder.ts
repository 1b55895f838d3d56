/**
 * Text → unit-length vectors (cosine similarity = dot product), as the store expects.
 * `id` names the model and its version, so vectors of different embedders are never mixed.
 *
 * ```ts
 * const embedder = selectEmbedder(config);
 * const [vector] = await embedder.embed(['hello world']);
 * ```
 */
export interface Embedder {
  /** e.g. `local-hash-v1`, `openai:text-embedding-3-small` */
  readonly id: string;
  /** Vector length; for a remote model without known size, 0 until the first embed() call. */
  readonly dim: number;
  /** One vector per text, in order. Aborting rejects with the signal's reason. */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]>;
}

import { createLocalEmbedder } from './local-embedder.js';
import { createOpenAiEmbedder } from './openai-embedder.js';

export { createLocalEmbedder } from './local-embedder.js';
export { createOpenAiEmbedder, EmbedderError } from './openai-embedder.js';

export interface EmbedderEnv {
  /** `local` (or `local-hash-v1`) forces the local embedder; else the OpenAI model name. */
  AM_EMBED_MODEL?: string;
  OPENAI_API_KEY?: string;
  OPENAI_BASE_URL?: string;
  AM_EMBED_DIM?: number;
}

/**
 * OpenAI (or a compatible server at OPENAI_BASE_URL) when a key is set, model
 * `text-embedding-3-small` unless AM_EMBED_MODEL names another; else the local embedder
 * (AM_EMBED_DIM buckets, default 384).
 */
export function selectEmbedder(env: EmbedderEnv): Embedder {
  const model = env.AM_EMBED_MODEL?.trim() || undefined;
  const apiKey = env.OPENAI_API_KEY?.trim() || undefined;
  if (apiKey === undefined || model === 'local' || model === 'local-hash-v1') {
    return createLocalEmbedder(env.AM_EMBED_DIM ?? 384);
  }
  return createOpenAiEmbedder({
    apiKey,
    model: model ?? 'text-embedding-3-small',
    ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}),
    ...(env.AM_EMBED_DIM !== undefined ? { dimensions: env.AM_EMBED_DIM } : {}),
  });
}
