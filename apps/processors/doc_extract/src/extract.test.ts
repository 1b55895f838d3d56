import { describe, expect, it } from 'vitest';
import { chunkText } from './chunk-text.js';
import { detectFormat } from './document-source.js';
import { htmlToText } from './extract-html.js';
import { markdownToText } from './extract-markdown.js';
import { pdfToText } from './extract-pdf.js';
import { makePdf } from './testing/make-pdf.js';

describe('extractors', () => {
  it('reads the text of every page of a PDF', async () => {
    const bytes = await makePdf(['Hello from page one.', 'And page two.']);
    expect(detectFormat({}, bytes)).toBe('pdf');
    const { text, pages } = await pdfToText(bytes, new AbortController().signal);
    expect(pages).toBe(2);
    expect(text).toContain('Hello from page one.');
    expect(text).toContain('And page two.');
    expect(text.indexOf('page one')).toBeLessThan(text.indexOf('page two'));
  });

  it('keeps only the visible text of HTML, one block per line', () => {
    const text = htmlToText(
      '<html><head><title>T</title><style>p{}</style></head><body><h1>Title</h1><p>One <b>bold</b> word.</p><script>evil()</script><ul><li>a</li><li>b</li></ul></body></html>',
    );
    expect(text).toBe('Title\nOne bold word.\na\nb');
  });

  it('renders Markdown and drops its syntax', () => {
    const text = markdownToText(
      '# Head\n\nSome **strong** and `code`.\n\n- item one\n- item two\n',
    );
    expect(text).toContain('Head');
    expect(text).toContain('Some strong and code.');
    expect(text).toContain('item one');
    expect(text).not.toMatch(/[#*`]/);
  });

  it('chunks with overlap, never past the text, cutting at whitespace', () => {
    const text = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    const chunks = chunkText(text, 0, 100, 20);
    expect(chunks.length).toBeGreaterThan(3);
    for (const [i, chunk] of chunks.entries()) {
      expect(chunk.index).toBe(i);
      expect(chunk.end - chunk.start).toBeLessThanOrEqual(100);
      expect(chunk.text).toBe(text.slice(chunk.start, chunk.end).trim());
      expect(chunk.text).toMatch(/^word\d+( word\d+)*$/);
      const next = chunks[i + 1];
      if (next !== undefined) {
        expect(next.start).toBeLessThan(chunk.end);
      }
    }
    expect(chunks.at(-1)?.end).toBe(text.length);
  });
});
