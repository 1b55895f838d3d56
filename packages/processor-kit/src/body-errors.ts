import type { ErrorCode, ProcessorErrorCode, ProcessorIssue } from '@agentplane/contracts';
import { isApiError } from '@agentplane/http-kit';

/** What the error handler answers for an error thrown before a route ran (the body parser). */
export interface RequestFailure {
  code: ProcessorErrorCode;
  issues: ProcessorIssue[];
}

// body-parser's own error types.
const BY_TYPE: Readonly<Record<string, ProcessorErrorCode>> = {
  'entity.parse.failed': 'ERR_MALFORMED_JSON',
  'entity.too.large': 'ERR_PAYLOAD_TOO_LARGE',
  'encoding.unsupported': 'ERR_REQUEST_INVALID',
  'charset.unsupported': 'ERR_REQUEST_INVALID',
  'request.size.invalid': 'ERR_REQUEST_INVALID',
  'request.aborted': 'ERR_REQUEST_INVALID',
};

const ISSUE_MESSAGE_MAX = 200;

/** The kit's `body.a.b` issue path as the envelope's JSON pointer `/a/b`. */
function pointerOf(kitPath: string): string {
  const parts = kitPath.split('.').slice(1);
  return parts.map((p) => `/${p.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/**
 * The http-kit body reader's refusals (not JSON, not UTF-8, prototype-poisoning keys, a body that
 * does not decompress), in the processor's codes; its issues (the poisoned key's path) are kept.
 */
function fromKitReader(code: ErrorCode, message: string, details: unknown): RequestFailure {
  const listed = (details as { issues?: ProcessorIssue[] } | undefined)?.issues;
  const issues = listed?.map(({ path, message: m }) => ({ path: pointerOf(path), message: m })) ?? [
    { path: '', message: message.slice(0, ISSUE_MESSAGE_MAX) },
  ];
  switch (code) {
    case 'VALIDATION_ERROR':
      // The reader's one validation: prototype-poisoning keys. Inside `inputs` they are the
      // inputs' problem, as any key the registry schema does not allow.
      return {
        code: issues.every((i) => i.path.startsWith('/inputs/'))
          ? 'ERR_INPUTS_INVALID'
          : 'ERR_REQUEST_INVALID',
        issues,
      };
    case 'MALFORMED_JSON':
      return { code: 'ERR_MALFORMED_JSON', issues };
    case 'PAYLOAD_TOO_LARGE':
      return { code: 'ERR_PAYLOAD_TOO_LARGE', issues };
    default:
      return { code: 'ERR_REQUEST_INVALID', issues };
  }
}

interface HttpErrorLike {
  type?: unknown;
  status?: unknown;
  expose?: unknown;
  message?: unknown;
}

/**
 * The envelope code of an error from the request's reading. By body-parser `type` first; then any
 * http-errors error that is the client's (`expose: true`, a 4xx status) is a 4xx too: e.g. a
 * plain body sent with `Content-Encoding: gzip` fails in zlib, and body-parser passes that on as
 * a 400 with no `type`. Only what is left is ours (ERR_INTERNAL, its message kept out).
 */
export function requestFailureOf(err: unknown): RequestFailure {
  if (isApiError(err)) {
    return fromKitReader(err.code, err.message, err.details);
  }
  const e: HttpErrorLike = typeof err === 'object' && err !== null ? err : {};
  const byType = typeof e.type === 'string' ? BY_TYPE[e.type] : undefined;
  const status = typeof e.status === 'number' ? e.status : 500;
  const clients = e.expose === true && status >= 400 && status < 500;
  if (byType === undefined && !clients) {
    return { code: 'ERR_INTERNAL', issues: [] };
  }
  const code = byType ?? (status === 413 ? 'ERR_PAYLOAD_TOO_LARGE' : 'ERR_REQUEST_INVALID');
  // An exposed message is meant for the client ("incorrect header check", the JSON parse error).
  const issues =
    clients && typeof e.message === 'string' && e.message !== ''
      ? [{ path: '', message: e.message.slice(0, ISSUE_MESSAGE_MAX) }]
      : [];
  return { code, issues };
}
