import { extname } from 'node:path';
import { htmlToText } from './html-to-text.js';
import { SourceError } from './source-error.js';

export type TextFormat = 'text' | 'markdown' | 'html' | 'pdf' | 'processor';

export interface ExtractInput {
  bytes: Uint8Array;
  contentType?: string;
  name: string;
}

export interface ExtractDeps {
  /**
   * doc/extract: used for PDFs. Not for other binary: doc/extract@1 reads text, Markdown, HTML
   * and PDF only, and would take unknown bytes for text.
   */
  processor?: (bytes: Uint8Array, contentType: string | undefined) => Promise<string>;
}

type Detected = Exclude<TextFormat, 'processor'> | 'binary';

const MIME_FORMATS: Record<string, Detected> = {
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'application/pdf': 'pdf',
  'application/json': 'text',
  'application/xml': 'text',
  'application/x-ndjson': 'text',
  'application/yaml': 'text',
  'application/x-yaml': 'text',
};

const EXTENSION_FORMATS: Record<string, Detected> = {
  '.html': 'html',
  '.htm': 'html',
  '.xhtml': 'html',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.mdx': 'markdown',
  '.pdf': 'pdf',
};
const TEXT_EXTENSIONS =
  '.txt .text .csv .tsv .json .jsonl .ndjson .xml .yaml .yml .log .rst .ini .toml'.split(' ');

function byContentType(contentType: string | undefined): Detected | undefined {
  const mime = contentType?.split(';')[0]?.trim().toLowerCase();
  if (!mime || mime === 'application/octet-stream') {
    return undefined; // says nothing: look at the name and the bytes
  }
  return (
    MIME_FORMATS[mime] ?? (mime.startsWith('text/') || mime.endsWith('+json') ? 'text' : undefined)
  );
}

function byExtension(name: string): Detected | undefined {
  const ext = extname(name).toLowerCase();
  return EXTENSION_FORMATS[ext] ?? (TEXT_EXTENSIONS.includes(ext) ? 'text' : undefined);
}

function sniff(bytes: Uint8Array): Detected {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 8192));
  if (head.toString('latin1', 0, 5) === '%PDF-') {
    return 'pdf';
  }
  const start = head
    .toString('utf8', 0, 1024)
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  if (start.startsWith('<!doctype html') || start.startsWith('<html')) {
    return 'html';
  }
  // NUL bytes do not occur in text (UTF-16 aside, which we do not ingest): treat as binary.
  return head.includes(0) ? 'binary' : 'text';
}

/** Content type, then extension, then the bytes themselves. */
export function detectFormat(input: ExtractInput): Detected {
  return byContentType(input.contentType) ?? byExtension(input.name) ?? sniff(input.bytes);
}

function decodeUtf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(bytes);
}

/**
 * Markdown reduced to its prose. Deliberately light (a few regexes, no parser): link targets,
 * image URLs, fence markers, emphasis and heading marks are noise for embeddings; code and text
 * inside them stay.
 */
export function markdownToText(markdown: string): string {
  return markdown
    .replace(/^[ \t]*(```|~~~).*$/gm, '')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/^[ \t]{0,3}\[[^\]]+\]:[ \t]+\S+.*$/gm, '')
    .replace(/^[ \t]{0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/gm, '$1')
    .replace(/^[ \t]{0,3}>[ \t]?/gm, '')
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?!\w)/g, '$1$2')
    .replace(/(^|[^\w])_(?=\S)([^_\n]+?)(?<=\S)_(?!\w)/g, '$1$2')
    .replace(/`([^`\n]+)`/g, '$1')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

async function pdfToText(bytes: Uint8Array): Promise<string> {
  // Loaded on the first PDF: pdf.js is most of the ingest code a worker would parse at start.
  const { extractText: extractPdfText, getDocumentProxy } = await import('unpdf');
  // pdf.js may detach the buffer it is given, and refuses Buffers: hand it a plain copy.
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  try {
    const { text } = await extractPdfText(pdf, { mergePages: true });
    return text.trim();
  } finally {
    await pdf.loadingTask.destroy();
  }
}

async function viaProcessor(
  processor: NonNullable<ExtractDeps['processor']>,
  input: ExtractInput,
): Promise<string> {
  try {
    return await processor(input.bytes, input.contentType);
  } catch (err) {
    throw new SourceError('EXTRACT_FAILED', `the processor could not extract ${input.name}`, {
      cause: err,
    });
  }
}

/**
 * Plain text out of a loaded source. PDFs go to `deps.processor` when given (its output is taken
 * as is), else are read with unpdf; other binary is refused with SourceError
 * `UNSUPPORTED_FORMAT`. A corrupt PDF is `EXTRACT_FAILED`.
 */
export async function extractText(
  input: ExtractInput,
  deps: ExtractDeps = {},
): Promise<{ text: string; format: TextFormat }> {
  const format = detectFormat(input);
  if (deps.processor && format === 'pdf') {
    return { text: await viaProcessor(deps.processor, input), format: 'processor' };
  }
  switch (format) {
    case 'text':
      return { text: decodeUtf8(input.bytes), format };
    case 'markdown':
      return { text: markdownToText(decodeUtf8(input.bytes)), format };
    case 'html':
      return { text: htmlToText(decodeUtf8(input.bytes)), format };
    case 'pdf':
      try {
        return { text: await pdfToText(input.bytes), format };
      } catch (err) {
        throw new SourceError('EXTRACT_FAILED', `cannot read ${input.name} as PDF`, {
          cause: err,
        });
      }
    case 'binary':
      throw new SourceError(
        'UNSUPPORTED_FORMAT',
        `${input.name} (${input.contentType ?? 'no content type'}) is binary in no supported format`,
      );
  }
}
