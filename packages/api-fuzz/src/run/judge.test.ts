import { surfaceByName, surfaces } from '@agentplane/contracts';
import { createDocumentChecker } from '@agentplane/testkit';
import { describe, expect, it } from 'vitest';
import type { FuzzCase } from '../cases/fuzz-case.js';
import type { SendResult } from '../http/send.js';
import { surfaceDocument } from '../openapi/api-document.js';
import { createSchemaValidator } from '../openapi/schema-validator.js';
import type { FuzzTarget } from '../targets/fuzz-target.js';
import { baseRequest } from './base-request.js';
import { judge } from './judge.js';

// The assertions the fuzz makes, each shown to fire on an answer that breaks it (and to stay
// quiet on a right one): a suite whose judge never objects would pass against anything.

const doc = surfaceDocument(surfaceByName('engine'));
const checker = createDocumentChecker(doc.raw);

const refusedBody: FuzzCase = {
  category: 'body.wrong-type',
  defect: '/message: string → 1',
  expect: { statuses: [400] },
  request: {
    method: 'POST',
    path: '/execute',
    headers: [['X-Correlation-Id', 'fuzz-1']],
    body: Buffer.from('{"message":1}'),
  },
  correlation: { kind: 'well-formed', id: 'fuzz-1' },
};

function answer(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  wire?: number,
): SendResult {
  const bytes = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return {
    kind: 'response',
    response: {
      status,
      headers: { 'content-type': 'application/json', 'x-correlation-id': 'fuzz-1', ...headers },
      body: bytes,
      wireBytes: wire ?? bytes.length,
      ms: 1,
    },
  };
}

const envelope = (code: string, id = 'fuzz-1') => ({
  error: { code, message: 'm', correlation_id: id },
});

function kinds(c: FuzzCase, result: SendResult, stateDiff?: string): string[] {
  return judge(doc, checker, c, result, stateDiff).map((p) => p.kind);
}

describe('judge', () => {
  it('accepts the documented refusal with the echoed id', () => {
    expect(kinds(refusedBody, answer(400, envelope('VALIDATION_ERROR')))).toEqual([]);
  });

  it('flags a 5xx, an acceptance, a wrong or undocumented status', () => {
    expect(kinds(refusedBody, answer(500, envelope('INTERNAL_ERROR')))).toContain('5xx');
    expect(
      kinds(
        refusedBody,
        answer(200, 'event: x\ndata: {}\n\n', { 'content-type': 'text/event-stream' }),
      ),
    ).toContain('accepted a defective request');
    expect(kinds(refusedBody, answer(409, envelope('TASK_BUSY')))).toEqual(['unexpected 4xx']);
    expect(kinds(refusedBody, answer(418, envelope('VALIDATION_ERROR')))).toContain(
      'status not in the document',
    );
  });

  it('flags a body that is not the documented shape', () => {
    expect(kinds(refusedBody, answer(400, { error: 'bad' }))).toContain(
      'body not the documented shape',
    );
    expect(kinds(refusedBody, answer(400, ''))).toContain('body not the documented shape');
  });

  it('flags a correlation id not echoed, missing, or differing in the body', () => {
    const other = { 'x-correlation-id': 'other' };
    expect(kinds(refusedBody, answer(400, envelope('VALIDATION_ERROR', 'other'), other))).toEqual([
      'correlation id',
    ]);
    expect(
      kinds(refusedBody, answer(400, envelope('VALIDATION_ERROR'), { 'x-correlation-id': '' })),
    ).toContain('correlation id');
    expect(kinds(refusedBody, answer(400, envelope('VALIDATION_ERROR', 'x')))).toEqual([
      'correlation id',
    ]);
  });

  it("checks what is refused before routing against the service's envelope (kitDoc)", () => {
    const data = surfaceDocument(surfaceByName('orchestratord-data'));
    const control = createDocumentChecker(
      surfaceDocument(surfaceByName('orchestratord-control')).raw,
    );
    const tooLarge: FuzzCase = {
      ...refusedBody,
      category: 'headers.oversized',
      expect: { statuses: [431] },
      request: { method: 'GET', path: '/v1/pools/local/health', headers: [] },
    };
    const nested = answer(431, envelope('HEADERS_TOO_LARGE'));
    const dataChecker = createDocumentChecker(data.raw);
    expect(judge(data, dataChecker, tooLarge, nested, undefined).map((p) => p.kind)).toEqual([
      'body not the documented shape',
    ]);
    expect(judge(data, dataChecker, tooLarge, nested, undefined, control)).toEqual([]);
  });

  it('reads the correlation id of a flat (/v1 data plane) envelope too', () => {
    const flat = (id: string) => ({ code: 'INVALID_PARAMS', message: 'm', correlation_id: id });
    expect(kinds(refusedBody, answer(400, flat('other')))).toContain('correlation id');
    expect(kinds(refusedBody, answer(400, flat('fuzz-1')))).not.toContain('correlation id');
  });

  it('flags a 405 whose Allow is not the documented methods', () => {
    const wrongMethod: FuzzCase = {
      ...refusedBody,
      request: { ...refusedBody.request, method: 'GET' },
      expect: { statuses: [405] },
    };
    const ok = answer(405, envelope('METHOD_NOT_ALLOWED'), { allow: 'POST' });
    expect(kinds(wrongMethod, ok)).toEqual([]);
    const bad = answer(405, envelope('METHOD_NOT_ALLOWED'), { allow: 'GET, POST' });
    expect(kinds(wrongMethod, bad)).toEqual(['405 without the right Allow']);
  });

  it('flags a hang, a state change and a big uncompressed answer', () => {
    expect(kinds(refusedBody, { kind: 'timeout', ms: 10 })).toEqual(['no answer (hang)']);
    expect(
      kinds(refusedBody, answer(400, envelope('VALIDATION_ERROR')), 'brain.messages: 1 new'),
    ).toEqual(['state changed by a rejected request']);
    const gzip: FuzzCase = {
      ...refusedBody,
      request: {
        ...refusedBody.request,
        headers: [...refusedBody.request.headers, ['Accept-Encoding', 'gzip']],
      },
    };
    expect(kinds(gzip, answer(400, envelope('VALIDATION_ERROR'), {}, 4096))).toEqual([
      'large answer sent uncompressed',
    ]);
  });
});

describe('base requests', () => {
  function keyedTarget(name: string, aim: Partial<FuzzTarget> = {}) {
    const d = surfaceDocument(surfaceByName(name));
    const validator = createSchemaValidator(
      d.raw,
      d.operations.flatMap((op) => [
        ...op.params.map((p) => p.schema),
        ...(op.body ? [op.body.schema] : []),
      ]),
    );
    const target = {
      name,
      doc: d,
      credentials: Object.fromEntries(d.schemes.map((s) => [s.scheme, 'key'])),
      pathParams: {},
      overrides: {},
      ...aim,
    } as unknown as FuzzTarget;
    return { d, validator, target };
  }

  it.each(surfaces.map((s) => s.name))('every %s operation has a valid one', (name) => {
    const { d, validator, target } = keyedTarget(name);
    for (const op of d.operations) {
      expect(() => baseRequest(target, op, validator), op.id).not.toThrow();
    }
  });

  it("aims an operation's path parameters by its override, others by pathParams", () => {
    const task = '00000000-0000-4000-8000-0000000000aa';
    const session = '00000000-0000-4000-8000-0000000000bb';
    const { d, validator, target } = keyedTarget('orchestratord-data', {
      pathParams: { id: task },
      overrides: { getSession: { path: { id: session } } },
    });
    const op = (id: string) => d.operations.find((o) => o.id === id);
    const aimed = (id: string) => {
      const found = op(id);
      return found === undefined ? undefined : baseRequest(target, found, validator).pathParams;
    };
    expect(aimed('getSession')).toEqual({ id: session });
    expect(aimed('cancelTask')).toEqual({ id: task });
  });
});
