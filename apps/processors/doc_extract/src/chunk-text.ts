export interface Chunk {
  /** Index of the document in `inputs.documents`. */
  document: number;
  /** Position of the chunk within its document. */
  index: number;
  /** Character offsets into the document's clean text: [start, end). */
  start: number;
  end: number;
  text: string;
}

/**
 * Windows of at most `size` characters, each starting `overlap` characters before the previous
 * one ended. A window ends at the last whitespace of its second half when there is one, so words
 * are not cut.
 */
export function chunkText(text: string, document: number, size: number, overlap: number): Chunk[] {
  const chunks: Chunk[] = [];
  const shared = Math.min(overlap, size - 1);
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + size, text.length);
    if (end < text.length) {
      const breakAt = Math.max(text.lastIndexOf(' ', end), text.lastIndexOf('\n', end));
      if (breakAt > start + size / 2) {
        end = breakAt;
      }
    }
    chunks.push({
      document,
      index: chunks.length,
      start,
      end,
      text: text.slice(start, end).trim(),
    });
    if (end >= text.length) {
      break;
    }
    let next = Math.max(end - shared, start + 1);
    // Start on a word, not in the middle of one (within the shared part only).
    while (next < end && !/\s/.test(text[next - 1] ?? ' ')) {
      next++;
    }
    start = next;
  }
  return chunks.filter((c) => c.text.length > 0);
}
