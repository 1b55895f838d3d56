import { describe, expect, it } from 'vitest';
import { tinyPdf } from '../test-support/tiny-pdf.js';
import { detectFormat, extractText, markdownToText } from './extract-text.js';
import { SourceError } from './source-error.js';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('detectFormat', () => {
  it('trusts the content type first, then the extension, then the bytes', () => {
    expect(detectFormat({ bytes: utf8('# x'), contentType: 'text/html', name: 'a.md' })).toBe(
      'html',
    );
    expect(detectFormat({ bytes: utf8('x'), name: 'notes.MD' })).toBe('markdown');
    expect(
      detectFormat({ bytes: utf8('x'), contentType: 'application/octet-stream', name: 'a.htm' }),
    ).toBe('html');
    expect(detectFormat({ bytes: utf8('\uFEFF  <!DOCTYPE html><p>x'), name: 'page' })).toBe('html');
    expect(detectFormat({ bytes: tinyPdf(['x']), name: 'download' })).toBe('pdf');
    expect(detectFormat({ bytes: new Uint8Array([0x89, 0x50, 0, 1]), name: 'blob' })).toBe(
      'binary',
    );
    expect(detectFormat({ bytes: utf8('{}'), contentType: 'application/ld+json', name: 'x' })).toBe(
      'text',
    );
  });
});

describe('extractText', () => {
  it('decodes UTF-8 text and strips the BOM', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('héllo wörld')]);
    expect(await extractText({ bytes, name: 'a.txt' })).toEqual({
      text: 'héllo wörld',
      format: 'text',
    });
  });

  it('keeps the prose of markdown and drops its markup', async () => {
    const md = [
      '## Install *quickly*',
      '',
      'Run **pnpm** with `--frozen` see [the docs](https://x.test/docs) and ![logo](l.png).',
      '',
      '```sh',
      'pnpm install',
      '```',
      '> quoted _text_ keeps snake_case_names',
      '[ref]: https://x.test',
    ].join('\n');
    const { text, format } = await extractText({ bytes: utf8(md), name: 'README.md' });
    expect(format).toBe('markdown');
    expect(text).toBe(
      [
        'Install quickly',
        '',
        'Run pnpm with --frozen see the docs and logo.',
        '',
        'pnpm install',
        '',
        'quoted text keeps snake_case_names',
      ].join('\n'),
    );
    expect(markdownToText('2 * 3 * 4')).toBe('2 * 3 * 4');
  });

  it('turns HTML into visible text with line breaks at blocks', async () => {
    const html = `<!doctype html><html><head><title>T&amp;C</title>
      <style>p { color: red }</style><script>alert("x")</script></head>
      <body><h1>Terms</h1><p>First   paragraph,
      wrapped &mdash; here.</p><ul><li>one</li><li>two&nbsp;items</li></ul>
      <noscript>enable js</noscript><template><p>hidden</p></template>
      <table><tr><td>a</td><td>b</td></tr></table><pre>  keep
  lines</pre>Tail<br>end</body></html>`;
    const { text, format } = await extractText({ bytes: utf8(html), name: 'index.html' });
    expect(format).toBe('html');
    expect(text).toBe(
      [
        'T&C',
        '',
        'Terms',
        '',
        'First paragraph, wrapped — here.',
        '',
        'one',
        'two items',
        '',
        'a b',
        '',
        'keep',
        'lines',
        '',
        'Tail',
        'end',
      ].join('\n'),
    );
  });

  it('extracts the text of every page of a real PDF', async () => {
    const bytes = tinyPdf(['Hello from page one', 'Second page text']);
    const { text, format } = await extractText({ bytes, name: 'doc.pdf' });
    expect(format).toBe('pdf');
    expect(text).toContain('Hello from page one');
    expect(text).toContain('Second page text');
    // pdf.js must not have detached the caller's buffer.
    expect(bytes.byteLength).toBeGreaterThan(0);
  });

  it('hands PDFs (only) to the processor when there is one', async () => {
    const seen: (string | undefined)[] = [];
    const processor = async (_bytes: Uint8Array, contentType: string | undefined) => {
      seen.push(contentType);
      return 'from processor';
    };
    const pdf = { bytes: tinyPdf(['x']), contentType: 'application/pdf', name: 'a.pdf' };
    expect(await extractText(pdf, { processor })).toEqual({
      text: 'from processor',
      format: 'processor',
    });
    // doc/extract@1 reads unknown bytes as text: binary it cannot parse stays refused here.
    const docx = { bytes: new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]), name: 'a.docx' };
    await expect(extractText(docx, { processor })).rejects.toMatchObject({
      code: 'UNSUPPORTED_FORMAT',
    });
    expect(seen).toEqual(['application/pdf']);
    // Text never goes to the processor.
    expect((await extractText({ bytes: utf8('hi'), name: 'a.txt' }, { processor })).format).toBe(
      'text',
    );
  });

  it('refuses binary it cannot read, and reports extractor failures with their cause', async () => {
    const blob = { bytes: new Uint8Array([0, 1, 2, 3]), name: 'a.bin' };
    await expect(extractText(blob)).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
    await expect(extractText(blob)).rejects.toBeInstanceOf(SourceError);

    const broken = { bytes: utf8('%PDF-1.4\ngarbage'), name: 'broken.pdf' };
    const err = await extractText(broken).catch((e: unknown) => e as SourceError);
    expect(err).toMatchObject({ code: 'EXTRACT_FAILED' });
    expect((err as Error).cause).toBeDefined();

    const failing = async () => {
      throw new Error('doc/extract down');
    };
    const viaProcessor = await extractText(broken, { processor: failing }).catch((e: unknown) => e);
    expect(viaProcessor).toMatchObject({ code: 'EXTRACT_FAILED' });
    expect((viaProcessor as Error).cause).toMatchObject({ message: 'doc/extract down' });
  });
});
