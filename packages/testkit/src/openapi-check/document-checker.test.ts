import { describe, expect, it } from 'vitest';
import { createDocumentChecker, type OpenApiDocument } from './document-checker.js';

const envelope = (required: string[]) => ({
  description: 'an error',
  content: { 'application/json': { schema: { type: 'object', required } } },
});

// Two envelopes on one service, as orchestratord answers: nested on most paths, flat on /v1/.
const doc: OpenApiDocument = {
  openapi: '3.1.0',
  paths: {
    '/a': { get: { responses: { 400: envelope(['error']), 404: envelope(['error']) } } },
    '/b': { get: { responses: { 400: envelope(['error']) } } },
    '/v1/c': { post: { responses: { 400: envelope(['code']) } } },
  },
};

function kitBody(method: string, path: string, status: number, body: object) {
  const checker = createDocumentChecker(doc);
  const plan = checker.plan({
    method,
    path,
    status,
    header: (name) => (name === 'allow' ? 'X' : 'application/json'),
  });
  return plan.kind === 'check' ? checker.checkBody(plan.body, JSON.stringify(body)) : plan;
}

describe('kit-level answers', () => {
  it("check a 405 against its path's own envelope", () => {
    expect(kitBody('GET', '/v1/c', 405, { code: 'METHOD_NOT_ALLOWED' })).toBeUndefined();
    expect(kitBody('GET', '/v1/c', 405, { error: {} })).toMatchObject({
      problem: 'the body does not match the schema',
    });
    expect(kitBody('POST', '/a', 405, { error: {} })).toBeUndefined();
  });

  it("check a 404 or 431 against the document's most used envelope", () => {
    expect(kitBody('GET', '/nope', 404, { error: {} })).toBeUndefined();
    expect(kitBody('GET', '/v1/c', 431, { code: 'HEADERS_TOO_LARGE' })).toMatchObject({
      problem: 'the body does not match the schema',
    });
  });
});
