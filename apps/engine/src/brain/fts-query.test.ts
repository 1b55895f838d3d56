import { describe, expect, it } from 'vitest';
import { matchExpression, queryTerms, selectTerms } from './fts-query.js';

describe('fts query', () => {
  it('keeps only words, normalized like the tokenizer, deduplicated and bounded', () => {
    expect(queryTerms('NEAR(alpha, "Beta") AND -gamma* alpha')).toEqual([
      'near',
      'alpha',
      'beta',
      'and',
      'gamma',
    ]);
    expect(queryTerms('Crème BRÛLÉE')).toEqual(['creme', 'brulee']);
    expect(queryTerms('" * ^ : ( ) -')).toEqual([]);
    expect(queryTerms(Array.from({ length: 40 }, (_, i) => `w${i}`).join(' '))).toHaveLength(16);
    expect(queryTerms('x'.repeat(500))[0]).toHaveLength(64);
  });

  it('quotes every term and joins them with OR', () => {
    expect(matchExpression(['and', 'near'])).toBe('"and" OR "near"');
    expect(matchExpression(['a"b'])).toBe('"a""b"');
  });

  it('keeps the rarest terms within the document budget, and always the rarest one', () => {
    const docs: Record<string, number> = { the: 9000, kiwi: 12, fruit: 300, is: 8000 };
    const count = (t: string) => docs[t] ?? 0;
    expect(selectTerms(['the', 'kiwi', 'is', 'fruit'], count, 2000)).toEqual(['kiwi', 'fruit']);
    expect(selectTerms(['the', 'is'], count, 2000)).toEqual(['is']);
    expect(selectTerms(['zzz', 'the'], count, 2000)).toEqual(['zzz']);
    expect(selectTerms([], count, 2000)).toEqual([]);
  });
});
