import { createHash } from 'node:crypto';
import { approxTokens } from './chat.js';

function hashBytes(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function features(text: string): string[] {
  const normalized = text.toLowerCase();
  const words = normalized.match(/[\p{L}\p{N}]+/gu) ?? [];
  const squeezed = words.join(' ');
  const trigrams: string[] = [];
  for (let i = 0; i + 3 <= squeezed.length; i += 1) {
    trigrams.push(`#${squeezed.slice(i, i + 3)}`);
  }
  return [...words.map((word) => `w:${word}`), ...trigrams];
}

/**
 * A deterministic unit vector for `text`: hashed bag of words plus character trigrams, so
 * texts that share words (or spellings) have a higher cosine similarity than unrelated ones.
 * That keeps retrieval tests meaningful without a model. Values are float32-exact, so the
 * float and base64 encodings decode to the same numbers.
 */
export function fakeEmbedding(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  const items = features(text);
  // Text without letters or digits still gets a stable, non-zero vector of its own.
  const weighted = items.length > 0 ? items : [`raw:${text}`];
  for (const feature of weighted) {
    const hash = hashBytes(feature);
    const index = hash.readUInt32BE(0) % dimensions;
    const sign = (hash[4] ?? 0) & 1 ? 1 : -1;
    const weight = feature.startsWith('w:') ? 1 : 0.5;
    vector[index] = (vector[index] ?? 0) + sign * weight;
  }
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0)) || 1;
  return vector.map((value) => Math.fround(value / norm));
}

/** Little-endian float32 bytes, base64: what OpenAI sends for `encoding_format: 'base64'`. */
export function toBase64Float32(vector: readonly number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((value, i) => {
    bytes.writeFloatLE(value, i * 4);
  });
  return bytes.toString('base64');
}

export type EmbeddingsResult =
  | { ok: true; body: object }
  | { ok: false; message: string; param: string };

function inputTexts(input: unknown): string[] | undefined {
  if (typeof input === 'string') {
    return [input];
  }
  if (!Array.isArray(input) || input.length === 0) {
    return undefined;
  }
  // A token array (number[]) is one input; an array of token arrays is many.
  if (input.every((item) => typeof item === 'number')) {
    return [input.join(' ')];
  }
  const texts = input.map((item: unknown) =>
    typeof item === 'string' ? item : Array.isArray(item) ? item.join(' ') : undefined,
  );
  return texts.every((text) => text !== undefined) ? texts : undefined;
}

/** The `POST /v1/embeddings` response for a request body. */
export function embeddingsResponse(
  body: { readonly [key: string]: unknown },
  defaultDimensions: number,
): EmbeddingsResult {
  const texts = inputTexts(body.input);
  if (!texts) {
    return { ok: false, message: "'input' must be a non-empty string or array", param: 'input' };
  }
  const { dimensions = defaultDimensions, encoding_format: encoding = 'float' } = body;
  if (typeof dimensions !== 'number' || !Number.isInteger(dimensions) || dimensions < 1) {
    return { ok: false, message: "'dimensions' must be a positive integer", param: 'dimensions' };
  }
  if (encoding !== 'float' && encoding !== 'base64') {
    return {
      ok: false,
      message: "'encoding_format' must be 'float' or 'base64'",
      param: 'encoding_format',
    };
  }
  const tokens = texts.reduce((sum, text) => sum + approxTokens(text), 0);
  return {
    ok: true,
    body: {
      object: 'list',
      data: texts.map((text, index) => {
        const vector = fakeEmbedding(text, dimensions);
        return {
          object: 'embedding',
          index,
          embedding: encoding === 'base64' ? toBase64Float32(vector) : vector,
        };
      }),
      model: typeof body.model === 'string' ? body.model : 'fake-embedding',
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    },
  };
}
