import { Writable } from 'node:stream';
import { createLogger } from '@agentplane/http-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  orchestratorClient,
  registerProduct,
  startProcessFleet,
  TEST_ADMIN_KEY,
  type TestOrchestrator,
} from './test-orchestrator.js';

// Auth, bad input, quota, rate limit, isolation between products — and that no engine key
// reaches a log line. Process driver on PGlite: what matters here is the API, not the host.

const logLines: string[] = [];
const logSink = new Writable({
  write(chunk, _enc, done) {
    logLines.push(String(chunk));
    done();
  },
});

let orch: TestOrchestrator;
let platformKey: string;
let productId: string;

beforeAll(async () => {
  orch = await startProcessFleet({
    ports: [21200, 21299],
    env: { LOG_LEVEL: 'debug' },
    logger: createLogger({ name: 'orchestratord-test', level: 'debug', destination: logSink }),
  });
  ({ platformKey, productId } = await registerProduct(orch, 'guards', {
    max_engines: 2,
    rate_limit_rpm: 1000,
  }));
}, 120_000);

afterAll(async () => {
  await orch?.close();
});

async function rowCount(): Promise<number> {
  return (await orch.orchestrator.repo.all()).length;
}

describe('orchestratord guards', () => {
  it('refuses missing and wrong keys (401) and a platform key on admin routes (403)', async () => {
    const none = orchestratorClient(orch.baseUrl, {});
    const wrong = orch.platform('pk-wrong');
    const body = { slug: 'x-product', display_name: 'X' };
    expect((await none.listEngines({ query: {} })).status).toBe(401);
    expect((await wrong.listEngines({ query: {} })).status).toBe(401);
    expect((await none.registerProduct({ body })).status).toBe(401);
    expect(
      (
        await orchestratorClient(orch.baseUrl, {
          'x-admin-key': 'not-the-admin-key',
        }).registerProduct({ body })
      ).status,
    ).toBe(401);
    // Keys are checked before the body is parsed: malformed JSON without a key is a 401.
    const malformed = await fetch(`${orch.baseUrl}/engines/provision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"user_id":',
    });
    expect(malformed.status).toBe(401);
    const forbidden = await orch.platform(platformKey).registerProduct({ body });
    expect(forbidden).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    // The admin key is not a platform key either.
    expect((await orch.platform(TEST_ADMIN_KEY).listEngines({ query: {} })).status).toBe(401);
  });

  it('rejects invalid bodies with the 400 envelope and writes nothing', async () => {
    const api = orch.platform(platformKey);
    const before = await rowCount();
    for (const body of [
      {},
      { user_id: '' },
      { user_id: '../etc' },
      { user_id: 'ok', extra: 1 },
      { user_id: 'ok', engine_version: 'engine:latest' },
    ]) {
      const res = await fetch(`${orch.baseUrl}/engines/provision`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-platform-key': platformKey },
        body: JSON.stringify(body),
      });
      expect(res.status, JSON.stringify(body)).toBe(400);
      const envelope = (await res.json()) as { error: { code: string; correlation_id: string } };
      expect(envelope.error.code).toBe('VALIDATION_ERROR');
      expect(envelope.error.correlation_id).not.toBe('');
    }
    const malformed = await fetch(`${orch.baseUrl}/engines/provision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-platform-key': platformKey },
      body: '{"user_id":',
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe(
      'MALFORMED_JSON',
    );
    expect(
      (await orch.admin.registerProduct({ body: { slug: 'Bad Slug', display_name: 'x' } })).status,
    ).toBe(400);
    expect(
      (
        await orch.admin.putProductPolicy({
          params: { product_id: productId },
          body: { max_engines: 0 },
        })
      ).status,
    ).toBe(400);
    expect((await api.listEngines({ query: { limit: 0 } })).status).toBe(400);
    expect(await rowCount()).toBe(before);
  });

  it('answers a duplicate slug with 409', async () => {
    const res = await orch.admin.registerProduct({
      body: { slug: 'guards', display_name: 'Again' },
    });
    expect(res).toMatchObject({ status: 409, body: { error: { code: 'CONFLICT' } } });
  });

  it('enforces max_engines with 429 QUOTA_EXCEEDED and keeps products apart', async () => {
    const api = orch.platform(platformKey);
    expect((await api.provisionEngine({ body: { user_id: 'u1' } })).status).toBe(201);
    expect((await api.provisionEngine({ body: { user_id: 'u1' } })).status).toBe(409);
    expect((await api.provisionEngine({ body: { user_id: 'u2' } })).status).toBe(201);
    const before = await rowCount();
    const over = await fetch(`${orch.baseUrl}/engines/provision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-platform-key': platformKey },
      body: JSON.stringify({ user_id: 'u3' }),
    });
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await over.json()) as { error: { code: string } }).error.code).toBe('QUOTA_EXCEEDED');
    expect(await rowCount()).toBe(before);

    // Another product sees none of these engines.
    const other = await orch.admin.registerProduct({
      body: { slug: 'other', display_name: 'Other' },
    });
    if (other.status !== 201) {
      throw new Error('register failed');
    }
    const otherApi = orch.platform(other.body.platform_key);
    expect((await otherApi.getEngine({ params: { user_id: 'u1' } })).status).toBe(404);
    expect((await otherApi.stopEngine({ params: { user_id: 'u1' } })).status).toBe(404);
    expect((await otherApi.destroyEngine({ params: { user_id: 'u1' } })).status).toBe(404);
    expect((await otherApi.listEngines({ query: {} })).body).toMatchObject({ engines: [] });

    // Pagination walks every engine once.
    const first = await api.listEngines({ query: { limit: 1 } });
    expect(first.status).toBe(200);
    if (first.status === 200) {
      expect(first.body.engines).toHaveLength(1);
      const second = await api.listEngines({
        query: { limit: 1, cursor: first.body.next_cursor ?? '' },
      });
      expect(second.status === 200 && second.body.engines[0]?.user_id).toBe('u2');
      expect(second.status === 200 && second.body.next_cursor).toBeNull();
    }
    expect((await api.listEngines({ query: { cursor: 'garbage' } })).status).toBe(400);
  });

  it('rate-limits admits per product with 429 RATE_LIMITED and Retry-After; the policy applies at once', async () => {
    const put = await orch.admin.putProductPolicy({
      params: { product_id: productId },
      body: { max_engines: 2, rate_limit_rpm: 3 },
    });
    expect(put.status).toBe(200);
    const admitOnce = () =>
      fetch(`${orch.baseUrl}/engines/u1/admit`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-platform-key': platformKey },
        body: '{}',
      });
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 6; i++) {
      const res = await admitOnce();
      statuses.push(res.status);
      if (res.status === 429) {
        limited = res;
      }
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
    expect(limited?.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(((await limited?.json()) as { error: { code: string } } | undefined)?.error.code).toBe(
      'RATE_LIMITED',
    );
  });

  it('denies an unknown user unless the policy auto-provisions', async () => {
    await orch.admin.putProductPolicy({
      params: { product_id: productId },
      body: { max_engines: 3 },
    });
    const api = orch.platform(platformKey);
    expect(await api.admitEngine({ params: { user_id: 'newcomer' }, body: {} })).toMatchObject({
      status: 200,
      body: { admitted: false, reason: 'engine_not_found', status: null },
    });
    await orch.admin.putProductPolicy({
      params: { product_id: productId },
      body: { max_engines: 3, auto_provision: true },
    });
    const first = await api.admitEngine({ params: { user_id: 'newcomer' }, body: {} });
    expect(first).toMatchObject({ status: 200, body: { admitted: true, provisioned: true } });
    // Admit reads the key's product and the user's engine in one query, shared by the admits
    // of one event-loop turn: each still gets its own answer, and a bad key stays a 401.
    const [wrongKey, noKey, again] = await Promise.all([
      orch.platform('pk-wrong').admitEngine({ params: { user_id: 'newcomer' }, body: {} }),
      orchestratorClient(orch.baseUrl, {}).admitEngine({
        params: { user_id: 'newcomer' },
        body: {},
      }),
      api.admitEngine({ params: { user_id: 'newcomer' }, body: {} }),
    ]);
    expect(wrongKey.status).toBe(401);
    expect(noKey.status).toBe(401);
    expect(again).toMatchObject({
      status: 200,
      body: {
        admitted: true,
        provisioned: false,
        engine_id: (first.body as { engine_id: string }).engine_id,
      },
    });
  });

  it('exports fleet gauges on /metrics', async () => {
    const text = await fetch(`${orch.baseUrl}/metrics`).then((r) => r.text());
    expect(text).toMatch(
      /orchestratord_engines\{status="running",pool="local",warm="false"\} [1-9]/,
    );
    expect(text).toContain('orchestratord_engines_unhealthy 0');
  });

  it('never logs an engine key or a platform key', async () => {
    const keys: string[] = [platformKey];
    for (const row of await orch.orchestrator.repo.all()) {
      keys.push(orch.orchestrator.view.keyOf(row));
    }
    const log = logLines.join('');
    expect(log.length).toBeGreaterThan(1000);
    for (const key of keys) {
      expect(log).not.toContain(key);
    }
  });
});
