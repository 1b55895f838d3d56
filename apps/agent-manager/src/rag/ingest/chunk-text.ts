import { decode, encode, vocabularySize } from 'gpt-tokenizer/encoding/cl100k_base';

export interface ChunkOptions {
  /** Tokens (cl100k_base) per chunk. */
  chunkSize: number;
  /** Tokens repeated from the end of one chunk at the start of the next; < chunkSize. */
  overlap: number;
}

export interface TextChunk {
  content: string;
  tokens: number;
}

// Text that merely contains "<|endoftext|>" must be chunked, not refused: special tokens are
// encoded as ordinary text.
const AS_PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

// A chunk may end this much before its full size to end at a paragraph or sentence.
const SNAP_FRACTION = 0.15;

// Per token id, what its text looks like, computed once per id (decoding single tokens on every
// call would cost more than the encode). Bits: 1 known, 2 paragraph break, 4 line break,
// 8 ends with sentence punctuation, 16 ends with whitespace after it, 32 starts with whitespace.
const KNOWN = 1;
const PARAGRAPH = 2;
const LINE = 4;
const SENTENCE_END = 8;
const SENTENCE_END_SPACED = 16;
const LEADING_SPACE = 32;
const shapes = new Uint8Array(vocabularySize + 1);

function shapeOf(token: number): number {
  const cached = shapes[token] ?? 0;
  if (cached !== 0) {
    return cached;
  }
  const text = decode([token]);
  let shape = KNOWN;
  if (text.includes('\n\n')) {
    shape |= PARAGRAPH;
  } else if (text.includes('\n')) {
    shape |= LINE;
  }
  if (/[.!?]["')\]]*$/.test(text)) {
    shape |= SENTENCE_END;
  }
  if (/[.!?]["')\]]*\s+$/.test(text)) {
    shape |= SENTENCE_END_SPACED;
  }
  if (/^\s/.test(text)) {
    shape |= LEADING_SPACE;
  }
  if (token < shapes.length) {
    shapes[token] = shape;
  }
  return shape;
}

/**
 * Where to end a window [start, end): the last paragraph break in its final 15%, else the last
 * sentence end ("3.14" is not one: the next token must start with whitespace), else `end`.
 */
function snapEnd(tokens: Uint32Array | number[], start: number, end: number, size: number) {
  const floor = Math.max(start + 1, end - Math.floor(size * SNAP_FRACTION));
  let sentence = -1;
  for (let i = end - 1; i >= floor; i -= 1) {
    const shape = shapeOf(tokens[i] as number);
    if (shape & PARAGRAPH) {
      return i + 1;
    }
    if (sentence === -1) {
      const next = shapeOf(tokens[i + 1] as number);
      const spaced = shape & SENTENCE_END_SPACED || shape & LINE;
      if (spaced || (shape & SENTENCE_END && next & LEADING_SPACE)) {
        sentence = i + 1;
      }
    }
  }
  return sentence === -1 ? end : sentence;
}

/**
 * Splits text into windows of `chunkSize` cl100k tokens, each starting `overlap` tokens before
 * the previous one ended. A window may end early (by at most 15%) at a paragraph or sentence
 * boundary. The text is encoded once; each chunk is a decoded slice. Whitespace-only text → [].
 *
 * ```ts
 * chunkText(doc, { chunkSize: 512, overlap: 64 }) // [{ content, tokens }, …]
 * ```
 */
export function chunkText(text: string, opts: ChunkOptions): TextChunk[] {
  const { chunkSize, overlap } = opts;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
  }
  if (!Number.isInteger(overlap) || overlap < 0 || overlap >= chunkSize) {
    throw new RangeError(`overlap must be an integer in [0, chunkSize), got ${overlap}`);
  }
  if (text.trim() === '') {
    return [];
  }
  const tokens = encode(text, AS_PLAIN_TEXT);
  const chunks: TextChunk[] = [];
  let start = 0;
  for (;;) {
    const full = Math.min(start + chunkSize, tokens.length);
    const end = full === tokens.length ? full : snapEnd(tokens, start, full, chunkSize);
    const content = decode(tokens.slice(start, end));
    if (content.trim() !== '') {
      chunks.push({ content, tokens: end - start });
    }
    if (end >= tokens.length) {
      return chunks;
    }
    // Always move forward, even when a snapped end leaves less than `overlap` of new text.
    start = Math.max(start + 1, end - overlap);
  }
}
