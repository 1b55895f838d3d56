// A deterministic extractive summary for mode=mock: the highest-scoring sentences by the
// frequency of their content words, kept in their original order.

const STOPWORDS = new Set(
  'a an and are as at be but by for from has have in is it its of on or so such that the their this to was were which with each every one can'.split(
    ' ',
  ),
);

/** Sentences of `text`: split after . ! ? followed by whitespace, trimmed, empty ones dropped. */
export function splitSentences(text: string): string[] {
  return text
    .replace(/\s+/g, ' ')
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function words(sentence: string): string[] {
  return (sentence.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => !STOPWORDS.has(w));
}

export function extractiveSummary(text: string, maxSentences: number): string {
  const sentences = splitSentences(text);
  if (sentences.length <= maxSentences) {
    return sentences.join(' ');
  }
  const frequency = new Map<string, number>();
  for (const w of sentences.flatMap(words)) {
    frequency.set(w, (frequency.get(w) ?? 0) + 1);
  }
  const scored = sentences.map((sentence, index) => {
    const ws = words(sentence);
    const score = ws.reduce((sum, w) => sum + (frequency.get(w) ?? 0), 0) / Math.max(ws.length, 1);
    return { index, score };
  });
  // Ties go to the earlier sentence, so the result never depends on sort stability.
  const chosen = scored
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, maxSentences)
    .map((s) => s.index)
    .sort((a, b) => a - b);
  return chosen.map((i) => sentences[i]).join(' ');
}
