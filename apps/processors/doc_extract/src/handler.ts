import type { ProcessorHandler } from '@agentplane/processor-kit';
import { ProcessorError } from '@agentplane/processor-kit';
import { type Chunk, chunkText } from './chunk-text.js';
import { cleanText } from './clean-text.js';
import {
  type DocFormat,
  type DocumentInput,
  detectFormat,
  documentBytes,
} from './document-source.js';
import { htmlToText } from './extract-html.js';
import { markdownToText } from './extract-markdown.js';
import { pdfToText } from './extract-pdf.js';

async function extract(
  format: DocFormat,
  bytes: Buffer,
  signal: AbortSignal,
): Promise<{ text: string; pages: number | null }> {
  switch (format) {
    case 'pdf':
      return pdfToText(bytes, signal);
    case 'html':
      return { text: htmlToText(bytes.toString('utf8')), pages: null };
    case 'markdown':
      return { text: markdownToText(bytes.toString('utf8')), pages: null };
    case 'text':
      return { text: cleanText(bytes.toString('utf8')), pages: null };
  }
}

/**
 * doc/extract: plain text, Markdown, HTML and PDF → clean text and overlapping chunks. Parsing is
 * local, so mock and real do the same work.
 */
export const handler: ProcessorHandler = async (ctx) => {
  const documents = ctx.inputs.documents as DocumentInput[];
  const chunkSize = (ctx.inputs.chunk_size as number | undefined) ?? 1000;
  const overlap = (ctx.inputs.chunk_overlap as number | undefined) ?? 100;
  if (overlap >= chunkSize) {
    throw new ProcessorError('ERR_INPUTS_INVALID', [
      { path: '/inputs/chunk_overlap', message: 'must be smaller than chunk_size' },
    ]);
  }
  const texts: string[] = [];
  const chunks: Chunk[] = [];
  const metadata = [];
  for (const [index, doc] of documents.entries()) {
    ctx.progress('extract', {
      message: doc.name ?? `document ${index}`,
      fraction: index / documents.length,
    });
    const bytes = await documentBytes(doc, index, ctx.env.DOC_EXTRACT_INPUT_DIR);
    const format = detectFormat(doc, bytes);
    let extracted: { text: string; pages: number | null };
    try {
      extracted = await extract(format, bytes, ctx.signal);
    } catch (err) {
      ctx.signal.throwIfAborted();
      throw new ProcessorError('ERR_INPUTS_INVALID', [
        {
          path: `/inputs/documents/${index}`,
          message: `cannot parse as ${format}: ${(err as Error).message}`,
        },
      ]);
    }
    const docChunks = chunkText(extracted.text, index, chunkSize, overlap);
    ctx.log.info('handler.extract.ok', {
      index,
      format,
      characters: extracted.text.length,
      chunks: docChunks.length,
    });
    texts.push(extracted.text);
    chunks.push(...docChunks);
    metadata.push({
      index,
      name: doc.name ?? doc.path ?? null,
      format,
      bytes: bytes.byteLength,
      characters: extracted.text.length,
      pages: extracted.pages,
      chunks: docChunks.length,
    });
  }
  ctx.progress('write', { fraction: 1 });
  await ctx.writeOutput('outputs/text.txt', `${texts.join('\n\n')}\n`);
  await ctx.writeOutput(
    'outputs/chunks.json',
    `${JSON.stringify({ chunk_size: chunkSize, chunk_overlap: overlap, chunks }, null, 2)}\n`,
  );
  await ctx.writeOutput(
    'outputs/metadata.json',
    `${JSON.stringify({ mode: ctx.mode, documents: metadata }, null, 2)}\n`,
  );
};
