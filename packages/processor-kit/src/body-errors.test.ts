import { describe, expect, it } from 'vitest';
import { requestFailureOf } from './body-errors.js';

// http-errors' shape: `createError(400, zlibError)` keeps the message, sets status and expose.
const httpError = (status: number, fields: Record<string, unknown> = {}) =>
  Object.assign(new Error('incorrect header check'), { status, expose: status < 500, ...fields });

describe('requestFailureOf', () => {
  it('maps body-parser types, whatever the status', () => {
    expect(requestFailureOf(httpError(400, { type: 'entity.parse.failed' })).code).toBe(
      'ERR_MALFORMED_JSON',
    );
    expect(requestFailureOf(httpError(413, { type: 'entity.too.large' })).code).toBe(
      'ERR_PAYLOAD_TOO_LARGE',
    );
    expect(requestFailureOf(httpError(415, { type: 'encoding.unsupported' })).code).toBe(
      'ERR_REQUEST_INVALID',
    );
  });

  it('keeps an exposed 4xx without a type a 4xx, with its message as the issue', () => {
    expect(requestFailureOf(httpError(400))).toEqual({
      code: 'ERR_REQUEST_INVALID',
      issues: [{ path: '', message: 'incorrect header check' }],
    });
    expect(requestFailureOf(httpError(413)).code).toBe('ERR_PAYLOAD_TOO_LARGE');
    expect(requestFailureOf(httpError(422)).code).toBe('ERR_REQUEST_INVALID');
  });

  it('keeps everything else ERR_INTERNAL, message unsaid', () => {
    for (const err of [
      new Error('boom'),
      httpError(500),
      httpError(400, { expose: false }),
      'a string',
      null,
    ]) {
      expect(requestFailureOf(err)).toEqual({ code: 'ERR_INTERNAL', issues: [] });
    }
  });
});
