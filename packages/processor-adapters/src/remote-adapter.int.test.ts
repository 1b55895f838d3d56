import { createServer } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import type { ProcessorAdapter } from './adapter.js';
import { createRemoteAdapter } from './remote-adapter.js';
import { type FakeServer, startFakeServer } from './test-support/fake-server.js';
import { fakeTarget } from './test-support/fake-target.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const request = {
  execution_id: 'e-remote',
  write_prefix: '/tmp/agentplane-remote/{execution_id}/',
  schema: 'v1',
  mode: 'mock' as const,
  inputs: {},
};

let server: FakeServer | undefined;
let adapter: ProcessorAdapter | undefined;
afterEach(async () => {
  await adapter?.close();
  await server?.stop();
  adapter = undefined;
  server = undefined;
});

async function against(env: Record<string, string>, runTimeoutMs = 5_000) {
  server = await startFakeServer(env);
  adapter = createRemoteAdapter({
    url: server.url,
    target: fakeTarget(`registry.example/fake@${DIGEST}`, DIGEST),
    runTimeoutMs,
  });
  return adapter.run(request);
}

async function closedPort(): Promise<number> {
  const srv = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => srv.once('listening', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

describe('RemoteAdapter against a processor on loopback', () => {
  test('passes a valid envelope whose digest matches registry.yaml through', async () => {
    // The full reference form is accepted as well as the bare digest.
    const envelope = await against({ IMAGE_DIGEST: `registry.example/fake@${DIGEST}` });
    expect(envelope).toMatchObject({ status: 'success', execution_id: 'e-remote' });
  });

  test('another digest than registry.yaml pins → ERR_DIGEST_DRIFT', async () => {
    const other = `sha256:${'b'.repeat(64)}`;
    const envelope = await against({ IMAGE_DIGEST: other });
    expect(envelope.status).toBe('error');
    if (envelope.status === 'error') {
      expect(envelope.error.code).toBe('ERR_DIGEST_DRIFT');
      expect(envelope.meta.image_digest).toBe(other);
      expect(envelope.error.issues?.[0]?.path).toBe('/meta/image_digest');
    }
  });

  test('JSON that is not an envelope → ERR_ENVELOPE_INVALID', async () => {
    const envelope = await against({ FAKE_BEHAVIOUR: 'not-envelope', IMAGE_DIGEST: DIGEST });
    expect(envelope).toMatchObject({ status: 'error', error: { code: 'ERR_ENVELOPE_INVALID' } });
  });

  test('no answer within the deadline → ERR_ADAPTER_TIMEOUT', async () => {
    const envelope = await against({ FAKE_BEHAVIOUR: 'hang', IMAGE_DIGEST: DIGEST }, 300);
    expect(envelope).toMatchObject({
      status: 'error',
      execution_id: 'e-remote',
      error: { code: 'ERR_ADAPTER_TIMEOUT' },
      meta: { image_digest: DIGEST, env_fingerprint: 'cpu:1;memory:1Gi' },
    });
  });

  test('nothing listening → ERR_ADAPTER_UNREACHABLE', async () => {
    adapter = createRemoteAdapter({
      url: `http://127.0.0.1:${await closedPort()}`,
      target: fakeTarget(`registry.example/fake@${DIGEST}`, DIGEST),
      healthTimeoutMs: 300,
    });
    const envelope = await adapter.run(request);
    expect(envelope).toMatchObject({ status: 'error', error: { code: 'ERR_ADAPTER_UNREACHABLE' } });
  });
});
