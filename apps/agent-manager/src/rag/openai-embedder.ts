import OpenAI from 'openai';
import type { Embedder } from './embedder.js';

export interface OpenAiEmbedderOptions {
  apiKey: string;
  /** Default `https://api.openai.com/v1`. */
  baseURL?: string;
  model: string;
  /** Asks the model for shorter vectors (text-embedding-3-*); else its native size. */
  dimensions?: number;
  /** Texts per request; default 256 (the API takes up to 2048). */
  batchSize?: number;
  /** Per attempt; default 30 s. */
  timeoutMs?: number;
  /** Retries of 408/409/429/5xx, connection errors and time-outs (the SDK's backoff, honouring retry-after); default 3. */
  maxRetries?: number;
}

/** An embeddings call failed; `retryable` says whether the same call may succeed later. */
export class EmbedderError extends Error {
  override name = 'EmbedderError';
  readonly status: number | undefined;
  readonly retryable: boolean;
  constructor(message: string, opts: { status?: number; retryable: boolean; cause?: unknown }) {
    super(message, { cause: opts.cause });
    this.status = opts.status;
    this.retryable = opts.retryable;
  }
}

// Native sizes, so `dim` is right before the first call for the usual models.
const NATIVE_DIMS: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

function toVector(embedding: unknown): Float32Array {
  if (typeof embedding === 'string') {
    // base64 little-endian float32 (what the SDK asks for by default: a quarter of the JSON).
    const bytes = Buffer.from(embedding, 'base64');
    const vector = new Float32Array(bytes.byteLength >>> 2);
    new Uint8Array(vector.buffer).set(bytes.subarray(0, vector.length * 4));
    return vector;
  }
  if (Array.isArray(embedding)) {
    return Float32Array.from(embedding as number[]);
  }
  throw new EmbedderError('embeddings response holds no vector', { retryable: false });
}

function normalized(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const v of vector) {
    sum += v * v;
  }
  const scale = sum === 0 ? 0 : 1 / Math.sqrt(sum);
  return vector.map((v) => v * scale);
}

function asEmbedderError(err: unknown): unknown {
  if (err instanceof OpenAI.APIError) {
    const status = err.status;
    const timeout = err instanceof OpenAI.APIConnectionTimeoutError;
    const retryable =
      status === undefined || status === 408 || status === 409 || status === 429 || status >= 500;
    const what = timeout
      ? 'timed out'
      : status === undefined
        ? 'failed to connect'
        : `HTTP ${status}`;
    return new EmbedderError(`embeddings request ${what}: ${err.message}`, {
      ...(status === undefined ? {} : { status }),
      retryable,
      cause: err,
    });
  }
  return err;
}

/**
 * OpenAI (or compatible) embeddings through the `openai` SDK: batched, order kept, vectors
 * re-normalized; the SDK retries and times out each attempt. `dim` comes from `dimensions`, the
 * model's native size, or the first answer; later answers of another size are an error.
 */
export function createOpenAiEmbedder(options: OpenAiEmbedderOptions): Embedder {
  const { batchSize = 256, timeoutMs = 30_000, maxRetries = 3 } = options;
  const client = new OpenAI({
    apiKey: options.apiKey,
    ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
    timeout: timeoutMs,
    maxRetries,
  });
  let dim = options.dimensions ?? NATIVE_DIMS[options.model] ?? 0;

  async function call(input: string[], signal: AbortSignal | undefined): Promise<Float32Array[]> {
    const response = await client.embeddings
      .create(
        {
          model: options.model,
          input,
          encoding_format: 'base64',
          ...(options.dimensions ? { dimensions: options.dimensions } : {}),
        },
        signal ? { signal } : {},
      )
      .catch((err: unknown) => {
        throw signal?.aborted ? signal.reason : asEmbedderError(err);
      });
    const data = [...response.data].sort((a, b) => a.index - b.index);
    if (data.length !== input.length) {
      throw new EmbedderError(`asked ${input.length} embeddings, got ${data.length}`, {
        retryable: false,
      });
    }
    return data.map((item) => toVector(item.embedding));
  }

  return {
    id: `openai:${options.model}`,
    get dim() {
      return dim;
    },
    async embed(texts, signal) {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += batchSize) {
        // The API rejects empty strings; a space embeds as "nothing" just as well.
        const batch = texts.slice(i, i + batchSize).map((t) => (t.trim() === '' ? ' ' : t));
        for (const vector of await call(batch, signal)) {
          if (dim === 0) {
            dim = vector.length;
          }
          if (vector.length !== dim) {
            throw new EmbedderError(`expected ${dim}-dim vectors, got ${vector.length}`, {
              retryable: false,
            });
          }
          out.push(normalized(vector));
        }
      }
      return out;
    },
  };
}
