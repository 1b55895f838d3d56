import { describe, expect, it } from 'vitest';
import { extractiveSummary, splitSentences } from './extractive.js';

const text =
  'Cats sleep a lot. Dogs bark at night. Cats and dogs are pets. ' +
  'Many pets sleep all day. The weather was cold.';

describe('extractiveSummary', () => {
  it('splits sentences on terminal punctuation', () => {
    expect(splitSentences('One.  Two!\nThree? Four')).toEqual(['One.', 'Two!', 'Three?', 'Four']);
  });

  it('keeps the best sentences in their original order, deterministically', () => {
    const summary = extractiveSummary(text, 2);
    expect(summary).toBe(extractiveSummary(text, 2));
    const chosen = splitSentences(summary);
    expect(chosen).toHaveLength(2);
    expect(chosen).not.toContain('The weather was cold.');
    const order = chosen.map((s) => text.indexOf(s));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('returns short texts whole', () => {
    expect(extractiveSummary('Only one sentence here.', 3)).toBe('Only one sentence here.');
  });
});
