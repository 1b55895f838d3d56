import { createHash } from 'node:crypto';

/** A source's default document id: ingesting the same source again replaces that document. */
export function documentIdFor(source: string): string {
  return `doc_${createHash('sha256').update(source).digest('hex').slice(0, 24)}`;
}

/** What is kept of a source: a data: URL is the content itself, so only its head and hash. */
export function storedSource(source: string): string {
  if (!source.startsWith('data:')) {
    return source;
  }
  const digest = createHash('sha256').update(source).digest('hex').slice(0, 16);
  return `${source.slice(0, 48)}…(sha256 ${digest})`;
}
