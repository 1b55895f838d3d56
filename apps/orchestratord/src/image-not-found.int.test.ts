import { afterAll, describe, expect, it } from 'vitest';
import { registerProduct, startDockerFleet, type TestOrchestrator } from './test-orchestrator.js';

// A provision of an image the host does not have answers IMAGE_NOT_FOUND from the driver's
// first refusal, not BOOT_TIMEOUT after the boot window (set far beyond the test's own timeout
// here), and the audit row keeps the cause. Podman's Docker API; no registry is reachable.

const MISSING = `localhost/agentplane-missing@sha256:${'0'.repeat(64)}`;

describe('a provision of an image that does not exist', () => {
  let orch: TestOrchestrator | undefined;
  afterAll(async () => {
    await orch?.close();
  });

  it('answers IMAGE_NOT_FOUND at once, leaves nothing behind, and audits the cause', async (ctx) => {
    orch = await startDockerFleet(ctx, {
      ports: [21950, 21969],
      env: { ORCH_BOOT_TIMEOUT_S: '600' },
    });
    const { api } = await registerProduct(orch, 'missing-image');

    const res = await api.provisionEngine({ body: { user_id: 'alice', engine_version: MISSING } });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      error: { code: 'IMAGE_NOT_FOUND', details: { image: MISSING } },
    });

    expect(await orch.orchestrator.repo.all()).toEqual([]);
    const [pool] = orch.orchestrator.pools;
    expect(await pool?.driver.list()).toEqual([]);

    const audit = await api.listAudit({ query: { user_id: 'alice' } });
    expect(audit.status).toBe(200);
    if (audit.status === 200) {
      expect(audit.body.entries).toHaveLength(1);
      expect(audit.body.entries[0]).toMatchObject({
        action: 'provision_failed',
        from: 'provisioning',
        to: 'destroyed',
        metadata: { code: 'IMAGE_NOT_FOUND', cause: expect.stringContaining('agentplane-missing') },
      });
    }
  }, 120_000);
});
