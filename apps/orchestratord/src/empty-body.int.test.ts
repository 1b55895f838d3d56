import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  registerProduct,
  startProcessFleet,
  TEST_ADMIN_KEY,
  type TestOrchestrator,
} from './test-orchestrator.js';

// A required body is required even when empty: `Content-Type: application/json` with no bytes
// once parsed to `{}`, so PUT policy wiped the policy (and wrote an audit row) and admit passed.

let orch: TestOrchestrator;
let platformKey: string;
let productId: string;

beforeAll(async () => {
  orch = await startProcessFleet({ ports: [24400, 24449] });
  ({ platformKey, productId } = await registerProduct(orch, 'empty-body', {
    max_engines: 3,
    rate_limit_rpm: 100,
  }));
}, 120_000);

afterAll(async () => {
  await orch?.close();
});

const emptyJson = (method: string, path: string, headers: Record<string, string>) =>
  fetch(`${orch.baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: '',
  });

async function expectBodyMissing(res: Response): Promise<void> {
  expect(res.status).toBe(400);
  const { error } = (await res.json()) as {
    error: { code: string; correlation_id: string; details: { issues: Array<{ path: string }> } };
  };
  expect(error.code).toBe('VALIDATION_ERROR');
  expect(error.details.issues.map((i) => i.path)).toEqual(['body']);
  expect(error.correlation_id).toBe(res.headers.get('x-correlation-id'));
}

describe('an empty JSON body on a route that requires one', () => {
  it('PUT /products/{id}/policy → 400, the policy and the audit log unchanged', async () => {
    const policyBefore = (await orch.orchestrator.products.byId(productId))?.policy;
    const audit = () => orch.orchestrator.audit.list({ productId, after: 0, limit: 1000 });
    const auditBefore = await audit();
    expect(policyBefore).toEqual({ max_engines: 3, rate_limit_rpm: 100 });

    await expectBodyMissing(
      await emptyJson('PUT', `/products/${productId}/policy`, { 'x-admin-key': TEST_ADMIN_KEY }),
    );

    expect((await orch.orchestrator.products.byId(productId))?.policy).toEqual(policyBefore);
    expect(await audit()).toEqual(auditBefore);
  });

  it('POST /engines/{user_id}/admit → 400, while `{}` still admits (engine_not_found)', async () => {
    await expectBodyMissing(
      await emptyJson('POST', '/engines/nobody/admit', { 'x-platform-key': platformKey }),
    );
    const admitted = await orch.platform(platformKey).admitEngine({
      params: { user_id: 'nobody' },
      body: {},
    });
    expect(admitted).toMatchObject({
      status: 200,
      body: { admitted: false, reason: 'engine_not_found' },
    });
  });
});
