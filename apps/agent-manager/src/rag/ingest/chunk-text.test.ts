import { decode, encode } from 'gpt-tokenizer/encoding/cl100k_base';
import { describe, expect, it } from 'vitest';
import { chunkText } from './chunk-text.js';

const WORDS =
  'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi'.split(' ');

/** Deterministic prose: sentences of 8–15 words, a paragraph every 6 sentences. */
function prose(sentences: number): string {
  const out: string[] = [];
  for (let s = 0; s < sentences; s += 1) {
    const words = Array.from(
      { length: 8 + (s % 8) },
      (_, w) => WORDS[(s * 31 + w * 7) % WORDS.length],
    );
    out.push(`${words.join(' ')}.`);
    out.push(s % 6 === 5 ? '\n\n' : ' ');
  }
  return out.join('');
}

describe('chunkText', () => {
  it('returns nothing for empty or whitespace text', () => {
    expect(chunkText('', { chunkSize: 10, overlap: 2 })).toEqual([]);
    expect(chunkText(' \n\t ', { chunkSize: 10, overlap: 2 })).toEqual([]);
  });

  it('keeps short text as one chunk with its real token count', () => {
    const text = 'Hello, world! This is a test.';
    expect(chunkText(text, { chunkSize: 100, overlap: 10 })).toEqual([
      { content: text, tokens: encode(text).length },
    ]);
  });

  it('slides windows of at most chunkSize tokens that overlap by `overlap` tokens', () => {
    const text = prose(200);
    const all = encode(text);
    const chunks = chunkText(text, { chunkSize: 100, overlap: 20 });
    expect(chunks.length).toBeGreaterThan(all.length / 100);
    let start = 0;
    for (const [i, chunk] of chunks.entries()) {
      expect(chunk.tokens).toBeLessThanOrEqual(100);
      expect(chunk.content).toBe(decode(all.slice(start, start + chunk.tokens)));
      if (i < chunks.length - 1) {
        expect(chunk.tokens).toBeGreaterThanOrEqual(85); // snapped by at most 15%
        start += chunk.tokens - 20;
      }
    }
    expect(start + (chunks.at(-1)?.tokens ?? 0)).toBe(all.length); // nothing lost at the end
  });

  it('prefers to end chunks at paragraph or sentence boundaries', () => {
    const chunks = chunkText(prose(200), { chunkSize: 100, overlap: 0 });
    const inner = chunks.slice(0, -1);
    const clean = inner.filter((c) => /[.]\s*$/.test(c.content)).length;
    expect(clean / inner.length).toBeGreaterThan(0.9);
    // Without a boundary in reach it cuts at the full size.
    const noPunctuation = 'word '.repeat(1000);
    expect(chunkText(noPunctuation, { chunkSize: 100, overlap: 0 })[0]?.tokens).toBe(100);
  });

  it('does not treat a decimal point as a sentence end', () => {
    // No sentence ends at all: every chunk but the last must be cut at the full size.
    const text = 'pi is 3.14159 and e is 2.71828 '.repeat(40);
    const chunks = chunkText(text, { chunkSize: 50, overlap: 0 });
    expect(chunks.slice(0, -1).every((chunk) => chunk.tokens === 50)).toBe(true);
  });

  it('chunks text containing special-token strings as plain text', () => {
    const text = 'before <|endoftext|> after';
    expect(chunkText(text, { chunkSize: 50, overlap: 0 })[0]?.content).toBe(text);
  });

  it('rejects an overlap not smaller than the chunk size', () => {
    expect(() => chunkText('x', { chunkSize: 10, overlap: 10 })).toThrow(RangeError);
    expect(() => chunkText('x', { chunkSize: 0, overlap: 0 })).toThrow(RangeError);
    expect(() => chunkText('x', { chunkSize: 10, overlap: -1 })).toThrow(RangeError);
  });
});
