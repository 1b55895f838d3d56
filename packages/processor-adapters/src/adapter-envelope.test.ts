import { expect, test } from 'vitest';
import { settleAnswer } from './adapter-envelope.js';
import { fakeTarget } from './test-support/fake-target.js';

const digest = `sha256:${'c'.repeat(64)}`;
const target = fakeTarget(`localhost/x@${digest}`, digest);
const success = {
  status: 'success',
  execution_id: 'e1',
  outputs: [{ path: '/artifacts/e1/outputs/a.txt' }],
  index_path: '/artifacts/e1/outputs.json',
  meta: { env_fingerprint: 'cpu:1;memory:1Gi', image_digest: digest, duration_ms: 3 },
};

test('a processor error envelope with a non-2xx status passes through', () => {
  const error = {
    status: 'error',
    execution_id: 'e1',
    error: { code: 'ERR_INPUTS_INVALID', message: 'inputs do not match the schema' },
    meta: { env_fingerprint: 'cpu:1;memory:1Gi', image_digest: digest },
  };
  expect(settleAnswer(target, 'e1', { status: 422, body: JSON.stringify(error) })).toEqual(error);
});

test('a body that is not JSON, or not an envelope, is ERR_ENVELOPE_INVALID with where it failed', () => {
  const html = settleAnswer(target, 'e1', { status: 502, body: '<html>bad gateway</html>' });
  expect(html).toMatchObject({ status: 'error', error: { code: 'ERR_ENVELOPE_INVALID' } });
  const partial = settleAnswer(target, 'e1', {
    status: 200,
    body: JSON.stringify({ ...success, index_path: undefined }),
  });
  expect(partial).toMatchObject({
    status: 'error',
    execution_id: 'e1',
    error: { code: 'ERR_ENVELOPE_INVALID', issues: [{ path: '/index_path' }] },
  });
});

test('without a pinned digest in registry.yaml there is nothing to drift from', () => {
  const unpinned = fakeTarget('localhost/x:dev', undefined);
  const body = JSON.stringify({ ...success, meta: { ...success.meta, image_digest: 'unknown' } });
  expect(settleAnswer(unpinned, 'e1', { status: 200, body }).status).toBe('success');
});

test("another run's envelope is ERR_ENVELOPE_INVALID", () => {
  const other = settleAnswer(target, 'e2', { status: 200, body: JSON.stringify(success) });
  expect(other).toMatchObject({
    status: 'error',
    execution_id: 'e2',
    error: { code: 'ERR_ENVELOPE_INVALID', issues: [{ path: '/execution_id' }] },
  });
});
