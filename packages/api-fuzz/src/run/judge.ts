import type { DocumentChecker } from '@agentplane/testkit';
import { WELL_FORMED_CORRELATION_ID } from '../cases/dimensions.js';
import type { FuzzCase } from '../cases/fuzz-case.js';
import { allowedOn } from '../cases/routes.js';
import type { RawResponse, SendResult } from '../http/send.js';
import type { ApiDocument } from '../openapi/api-document.js';

export type ProblemKind =
  | 'no answer (hang)'
  | 'connection failed before an answer'
  | '5xx'
  | 'accepted a defective request'
  | 'unexpected 4xx'
  | 'status not in the document'
  | 'body not the documented shape'
  | 'correlation id'
  | '405 without the right Allow'
  | 'state changed by a rejected request'
  | 'large answer sent uncompressed'
  | 'error code with two statuses'
  | 'no valid base request';

export interface Problem {
  kind: ProblemKind;
  detail: string;
}

function header(res: RawResponse, name: string): string | undefined {
  const value = res.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

type ErrorFields = { code?: unknown; correlation_id?: unknown };

/**
 * The `error` object of an error envelope (platform, processor, OpenAI), or the body itself
 * when it is a flat one (`{code, message, correlation_id}`, the /v1 data plane's), if it is one.
 */
export function errorOf(res: RawResponse): ErrorFields | undefined {
  try {
    const body = JSON.parse(res.body.toString('utf8')) as { error?: unknown; code?: unknown };
    if (typeof body.error === 'object' && body.error !== null) {
      return body.error as ErrorFields;
    }
    return typeof body.code === 'string' && 'message' in body ? body : undefined;
  } catch {
    return undefined;
  }
}

function statusProblems(c: FuzzCase, res: RawResponse): Problem[] {
  if (res.status >= 500) {
    return [{ kind: '5xx', detail: `${res.status}` }];
  }
  const expected = c.expect.statuses;
  if (expected === undefined || expected.includes(res.status)) {
    return [];
  }
  const kind = res.status < 400 ? 'accepted a defective request' : 'unexpected 4xx';
  return [{ kind, detail: `${res.status}, expected ${expected.join('|')}` }];
}

function documentProblems(
  surface: DocumentChecker,
  kit: DocumentChecker,
  c: FuzzCase,
  res: RawResponse,
): Problem[] {
  // Refused before any route: in the envelope of the service, not of this surface (kitDoc).
  const checker = res.status === 431 || c.category === 'path.unknown' ? kit : surface;
  const plan = checker.plan({
    method: c.request.method,
    path: c.request.path.split('?')[0] ?? '',
    status: res.status,
    header: (name) => header(res, name),
  });
  if (plan.kind === 'problem') {
    return [{ kind: 'status not in the document', detail: `${plan.operation}: ${plan.problem}` }];
  }
  // HEAD answers carry no body; a stream's events are judged by the SSE tests.
  if (plan.kind === 'skip' || c.request.method === 'HEAD' || plan.body.kind === 'sse') {
    return [];
  }
  const problem = checker.checkBody(plan.body, res.body.toString('utf8'));
  if (problem === undefined) {
    return [];
  }
  const errors = problem.errors === undefined ? '' : `: ${problem.errors.join('; ')}`;
  return [{ kind: 'body not the documented shape', detail: `${problem.problem}${errors}` }];
}

function correlationProblems(c: FuzzCase, res: RawResponse): Problem[] {
  const id = header(res, 'x-correlation-id');
  const problems: string[] = [];
  if (id === undefined || !WELL_FORMED_CORRELATION_ID.test(id)) {
    problems.push(`response X-Correlation-Id ${JSON.stringify(id)} is missing or malformed`);
  } else if (
    c.correlation.kind === 'well-formed' &&
    res.status !== 431 &&
    id !== c.correlation.id
  ) {
    // A 431's headers were never parsed: the sent id cannot be known there.
    problems.push(`sent ${c.correlation.id}, got ${id}`);
  } else if (c.correlation.kind === 'malformed' && c.correlation.values.includes(id)) {
    problems.push(`a malformed id was echoed: ${JSON.stringify(id)}`);
  }
  const inBody = errorOf(res)?.correlation_id;
  if (inBody !== undefined && inBody !== id) {
    problems.push(`body correlation_id ${JSON.stringify(inBody)} differs from header ${id}`);
  }
  return problems.map((detail) => ({ kind: 'correlation id', detail }));
}

function allowProblems(doc: ApiDocument, c: FuzzCase, res: RawResponse): Problem[] {
  if (res.status !== 405) {
    return [];
  }
  const path = c.request.path.split('?')[0] ?? '';
  const allowed = allowedOn(doc, path);
  if (allowed.length === 0) {
    return [];
  }
  const want = allowed.sort().join(', ');
  const got = (header(res, 'allow') ?? '')
    .split(',')
    .map((m) => m.trim().toUpperCase())
    .filter((m) => m !== '')
    .sort()
    .join(', ');
  return got === want
    ? []
    : [{ kind: '405 without the right Allow', detail: `Allow "${got}", expected "${want}"` }];
}

// The kits compress from 1 KB (http-kit COMPRESSION_THRESHOLD_BYTES); twice that leaves no doubt.
const SURELY_COMPRESSED_BYTES = 2048;

/** A big JSON answer to a client that accepts gzip or br goes out compressed (issue 11, finding 7). */
function compressionProblems(c: FuzzCase, res: RawResponse): Problem[] {
  const accept = c.request.headers.find(([n]) => n.toLowerCase() === 'accept-encoding')?.[1] ?? '';
  const json = (header(res, 'content-type') ?? '').includes('json');
  if (
    !/gzip|br|\*/.test(accept) ||
    !json ||
    c.request.method === 'HEAD' ||
    res.wireBytes < SURELY_COMPRESSED_BYTES ||
    header(res, 'content-encoding') !== undefined
  ) {
    return [];
  }
  return [
    {
      kind: 'large answer sent uncompressed',
      detail: `${res.wireBytes} bytes of JSON to Accept-Encoding: ${accept}`,
    },
  ];
}

/**
 * Everything wrong with the answer to one case (empty when it is right). `kitChecker` checks what
 * the service refuses before routing (FuzzTarget.kitDoc; default `checker`).
 */
export function judge(
  doc: ApiDocument,
  checker: DocumentChecker,
  c: FuzzCase,
  result: SendResult,
  stateDiff: string | undefined,
  kitChecker: DocumentChecker = checker,
): Problem[] {
  const state: Problem[] =
    stateDiff === undefined
      ? []
      : [{ kind: 'state changed by a rejected request', detail: stateDiff }];
  if (result.kind === 'timeout') {
    return [{ kind: 'no answer (hang)', detail: `nothing in ${result.ms} ms` }, ...state];
  }
  if (result.kind === 'transport') {
    return [{ kind: 'connection failed before an answer', detail: result.error }, ...state];
  }
  const res = result.response;
  return [
    ...statusProblems(c, res),
    ...documentProblems(checker, kitChecker, c, res),
    ...correlationProblems(c, res),
    ...allowProblems(doc, c, res),
    ...compressionProblems(c, res),
    ...state,
  ];
}
