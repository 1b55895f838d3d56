import { readFile, realpath } from 'node:fs/promises';
import { extname, isAbsolute, join, sep } from 'node:path';
import { ProcessorError } from '@agentplane/processor-kit';

export type DocFormat = 'text' | 'markdown' | 'html' | 'pdf';

/** One entry of `inputs.documents` (already checked by the registry's JSON Schema). */
export interface DocumentInput {
  name?: string;
  format?: DocFormat;
  content?: string;
  content_base64?: string;
  path?: string;
}

const EXTENSIONS: Record<string, DocFormat> = {
  '.txt': 'text',
  '.text': 'text',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.html': 'html',
  '.htm': 'html',
  '.pdf': 'pdf',
};

const invalid = (index: number, field: string, message: string) =>
  new ProcessorError('ERR_INPUTS_INVALID', [
    { path: `/inputs/documents/${index}/${field}`, message },
  ]);

/**
 * A file named by `path`, relative to DOC_EXTRACT_INPUT_DIR (the directory mounted for inputs):
 * absolute paths, `..` and symlinks leading out of it are refused. Without the variable, only
 * inline documents are accepted.
 */
async function readConfined(inputDir: string | undefined, path: string, index: number) {
  if (inputDir === undefined || inputDir === '') {
    throw invalid(index, 'path', 'path inputs need DOC_EXTRACT_INPUT_DIR; send content instead');
  }
  if (isAbsolute(path) || path.split(/[\\/]/).includes('..')) {
    throw invalid(index, 'path', 'must be relative to the input directory, without ..');
  }
  try {
    const root = await realpath(inputDir);
    const file = await realpath(join(root, path));
    if (!file.startsWith(root + sep)) {
      throw invalid(index, 'path', 'resolves outside the input directory');
    }
    return await readFile(file);
  } catch (err) {
    if (err instanceof ProcessorError) {
      throw err;
    }
    throw invalid(index, 'path', `cannot read: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
}

/** The document's bytes, from inline content, base64 or a confined file. */
export async function documentBytes(
  doc: DocumentInput,
  index: number,
  inputDir: string | undefined,
): Promise<Buffer> {
  if (doc.content !== undefined) {
    return Buffer.from(doc.content, 'utf8');
  }
  if (doc.content_base64 !== undefined) {
    if (!/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(doc.content_base64)) {
      throw invalid(index, 'content_base64', 'not base64');
    }
    return Buffer.from(doc.content_base64, 'base64');
  }
  return readConfined(inputDir, doc.path ?? '', index);
}

/** Explicit format, else the extension of name/path, else sniffed from the bytes. */
export function detectFormat(doc: DocumentInput, bytes: Uint8Array): DocFormat {
  if (doc.format !== undefined) {
    return doc.format;
  }
  const byName = EXTENSIONS[extname(doc.name ?? doc.path ?? '').toLowerCase()];
  if (byName !== undefined) {
    return byName;
  }
  const head = Buffer.from(bytes.subarray(0, 512)).toString('latin1');
  if (head.startsWith('%PDF-')) {
    return 'pdf';
  }
  return /^\s*(<!doctype html|<html|<body|<p[\s>]|<div[\s>])/i.test(head) ? 'html' : 'text';
}
