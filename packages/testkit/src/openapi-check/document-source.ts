import { createHash } from 'node:crypto';
import {
  createDocumentChecker,
  type DocumentChecker,
  isOpenApiDocument,
} from './document-checker.js';

/** Finds the document of an origin (its GET /openapi.json). */
export interface DocumentSource {
  /**
   * The origin's checker: cached, or fetched when `ours` (the response carried our services'
   * X-Correlation-Id). Undefined: not looked up; resolves undefined: the origin serves none.
   */
  lookup(origin: string, ours: boolean): Promise<DocumentChecker | undefined> | undefined;
  /** Forgets which origin serves what (ports are reused by later servers); keeps compilations. */
  forgetOrigins(): void;
}

/**
 * Only origins that answered with X-Correlation-Id are asked for a document: every platform
 * service and processor sends it, while the fake OpenAI server and test doubles do not, and a
 * GET /openapi.json they recorded would change what their tests assert.
 */
export function createDocumentSource(
  fetchDocument: typeof fetch,
  timeoutMs = 5000,
): DocumentSource {
  const checkers = new Map<string, DocumentChecker>();
  let origins = new Map<string, Promise<DocumentChecker | undefined>>();

  const load = async (origin: string): Promise<DocumentChecker | undefined> => {
    try {
      const res = await fetchDocument(`${origin}/openapi.json`, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      if (!res.ok) {
        return undefined;
      }
      const hash = createHash('sha256').update(text).digest('hex');
      let checker = checkers.get(hash);
      if (checker === undefined) {
        const doc: unknown = JSON.parse(text);
        if (!isOpenApiDocument(doc)) {
          return undefined;
        }
        checker = createDocumentChecker(doc);
        checkers.set(hash, checker);
      }
      return checker;
    } catch {
      // Gone, stopped or not JSON: such an origin is not checked.
      return undefined;
    }
  };

  return {
    lookup(origin, ours) {
      const known = origins.get(origin);
      if (known !== undefined || !ours) {
        return known;
      }
      const loading = load(origin);
      origins.set(origin, loading);
      return loading;
    },
    forgetOrigins() {
      origins = new Map();
    },
  };
}
