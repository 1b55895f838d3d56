import type { Embedder } from './embedder.js';

// Local: hashed words and word bigrams. No key, no model files, deterministic across processes.

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
// Bigrams add word order; at full weight they would outvote the words they are made of.
const BIGRAM_WEIGHT = 0.5;

function fmix32(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

const ASCII_WORD = new Uint8Array(128);
for (let c = 0; c < 128; c += 1) {
  const ch = String.fromCharCode(c);
  ASCII_WORD[c] = /[a-z0-9]/.test(ch) ? 1 : 0;
}
const WORD_CHAR = /^[\p{L}\p{N}\p{M}]$/u;
// Non-ASCII BMP characters, classified on first sight: 0 unknown, 1 word, 2 not.
const bmpClass = new Uint8Array(0x10000);

function isWordChar(text: string, i: number, code: number): boolean {
  if (code < 128) {
    return ASCII_WORD[code] === 1;
  }
  if (code >= 0xd800 && code <= 0xdbff) {
    return WORD_CHAR.test(String.fromCodePoint(text.codePointAt(i) ?? code));
  }
  let cls = bmpClass[code] ?? 0;
  if (cls === 0) {
    cls = WORD_CHAR.test(String.fromCharCode(code)) ? 1 : 2;
    bmpClass[code] = cls;
  }
  return cls === 1;
}

interface Scratch {
  words: Uint32Array;
  bigrams: Uint32Array;
}

/** Word and bigram hashes of `text` into scratch; grows it when needed. Returns the word count. */
function hashFeatures(text: string, scratch: Scratch): number {
  const lower = text.toLowerCase();
  if (scratch.words.length < lower.length) {
    scratch.words = new Uint32Array(lower.length);
    scratch.bigrams = new Uint32Array(lower.length);
  }
  const { words, bigrams } = scratch;
  let n = 0;
  let h = FNV_OFFSET;
  let inWord = false;
  for (let i = 0; i <= lower.length; i += 1) {
    const code = i < lower.length ? lower.charCodeAt(i) : 32;
    if (i < lower.length && isWordChar(lower, i, code)) {
      h = Math.imul(h ^ code, FNV_PRIME);
      inWord = true;
      continue;
    }
    if (inWord) {
      const word = fmix32(h);
      words[n] = word;
      if (n > 0) {
        bigrams[n - 1] = fmix32(Math.imul(words[n - 1] as number, 0x9e3779b1) ^ word);
      }
      n += 1;
      h = FNV_OFFSET;
      inWord = false;
    }
  }
  return n;
}

/** Adds sign · weight · (1 + ln tf) per distinct hash (sorted in place to count runs). */
function accumulate(hashes: Uint32Array, vector: Float32Array, weight: number): void {
  hashes.sort();
  const dim = vector.length;
  for (let i = 0; i < hashes.length; ) {
    const h = hashes[i] as number;
    let j = i + 1;
    while (j < hashes.length && hashes[j] === h) {
      j += 1;
    }
    const sign = Math.imul(h, 0x27d4eb2d) < 0 ? -1 : 1;
    const bucket = h % dim;
    vector[bucket] = (vector[bucket] as number) + sign * weight * (1 + Math.log(j - i));
    i = j;
  }
}

function normalize(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const v of vector) {
    sum += v * v;
  }
  if (sum === 0) {
    // Text without words still needs a valid unit vector: the same one for all such texts.
    return vector.fill(1 / Math.sqrt(vector.length));
  }
  const scale = 1 / Math.sqrt(sum);
  for (let i = 0; i < vector.length; i += 1) {
    vector[i] = (vector[i] as number) * scale;
  }
  return vector;
}

/**
 * Feature hashing of lowercase words and word bigrams into `dim` buckets with sublinear tf,
 * L2-normalized. Lexical, not semantic (no synonyms), but deterministic, keyless and fast: the
 * default when no embedding API is configured.
 */
export function createLocalEmbedder(dim = 384): Embedder {
  if (!Number.isInteger(dim) || dim < 8) {
    throw new RangeError(`dim must be an integer ≥ 8, got ${dim}`);
  }
  const scratch: Scratch = { words: new Uint32Array(1024), bigrams: new Uint32Array(1024) };
  const embedOne = (text: string): Float32Array => {
    const vector = new Float32Array(dim);
    const n = hashFeatures(text, scratch);
    accumulate(scratch.words.subarray(0, n), vector, 1);
    accumulate(scratch.bigrams.subarray(0, Math.max(0, n - 1)), vector, BIGRAM_WEIGHT);
    return normalize(vector);
  };
  return {
    id: 'local-hash-v1',
    dim,
    async embed(texts, signal) {
      const out: Float32Array[] = [];
      for (const text of texts) {
        signal?.throwIfAborted();
        out.push(embedOne(text));
      }
      return out;
    },
  };
}
