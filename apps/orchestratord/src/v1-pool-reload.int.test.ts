import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createClient,
  engineRoutes,
  orchestratordCatalogRoutes,
  orchestratordDataRoutes,
} from '@agentplane/contracts';
import { connectDocker, createTmpDir } from '@agentplane/testkit';
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { dataClient, readStream, taskBody } from './tasks/test-data-plane.js';
import {
  cleanupAfterAll,
  registerProduct,
  startDockerFleet,
  TEST_ADMIN_KEY,
} from './test-orchestrator.js';

// POST /v1/pools/{id}/reload (issue 15) on the docker driver (Podman): a rolling upgrade of the
// pool's engines to another catalog image, each brain kept, and an upgrade to an image whose
// engine never answers rolled back (409), every engine back on its old image. The process
// driver runs one command whatever the image, so only a container engine can show this.

const cleanup = cleanupAfterAll();

/** An image built FROM `base` with `lines` added; its reference and ID. */
async function buildVariant(docker: Docker, base: string, name: string, lines: string) {
  const dir = await createTmpDir('orch-reload-image-');
  cleanup(() => dir.remove());
  await mkdir(dir.path, { recursive: true });
  await writeFile(join(dir.path, 'Dockerfile'), `FROM ${base}\n${lines}\n`);
  const stream = await docker.buildImage({ context: dir.path, src: ['Dockerfile'] }, { t: name });
  await new Promise((resolve, reject) =>
    docker.modem.followProgress(stream, (err, out) => (err ? reject(err) : resolve(out))),
  );
  cleanup(async () => {
    await docker
      .getImage(name)
      .remove({ force: true })
      .catch(() => {});
  });
  const id = (await docker.getImage(name).inspect()).Id;
  return { ref: name, digest: id.startsWith('sha256:') ? id : `sha256:${id}` };
}

describe('/v1 pool reload on the docker driver', () => {
  it('moves every engine to the new image with its brain; a failed engine rolls all back', async (ctx) => {
    const fleet = await startDockerFleet(ctx, {
      ports: [25300, 25329],
      env: { ORCH_BOOT_TIMEOUT_S: '8' },
    });
    cleanup(() => fleet.close());
    const docker = await connectDocker(process.env.DOCKER_HOST as string);
    const product = await registerProduct(fleet, 'reload', { auto_provision: true });
    const data = dataClient(fleet.baseUrl, product.platformKey);
    const admin = createClient(orchestratordCatalogRoutes, {
      baseUrl: fleet.baseUrl,
      headers: () => ({ 'x-admin-key': TEST_ADMIN_KEY }),
    });
    const poolAdmin = createClient(orchestratordDataRoutes, {
      baseUrl: fleet.baseUrl,
      headers: () => ({ 'x-admin-key': TEST_ADMIN_KEY }),
    });
    const engineOf = async (user: string) => {
      const res = await product.api.getEngine({ params: { user_id: user } });
      if (res.status !== 200) {
        throw new Error(`engine of ${user}: ${res.status}`);
      }
      return res.body;
    };
    const turn = async (user: string, prompt: string) => {
      const task = taskBody({ user_id: user, prompt });
      expect((await data.createTask({ body: task })).status).toBe(202);
      const { events } = await readStream(data, task.task_id);
      expect(events.at(-1)).toMatchObject({ event: 'end' });
    };
    /** The engine's url and key, through admit (which wakes it). */
    const admit = async (user: string) => {
      const admitted = await product.api.admitEngine({ params: { user_id: user }, body: {} });
      if (admitted.status !== 200 || !admitted.body.admitted) {
        throw new Error(`admit ${user}`);
      }
      return admitted.body;
    };
    const keyHashOf = async (user: string) =>
      createHash('sha256')
        .update((await admit(user)).engine_key)
        .digest('hex');
    /** Tokens the engine counted today: kept in its brain, so a new container still has them. */
    const tokensUsed = async (user: string) => {
      const { url, engine_key } = await admit(user);
      const engine = createClient(engineRoutes, {
        baseUrl: url,
        headers: () => ({ 'x-engine-key': engine_key }),
      });
      const res = await engine.rpc({ body: { subsystem: 'telemetry', op: 'quota_state' } });
      if (res.status !== 200 || !('tokens_used' in res.body.result)) {
        throw new Error(`quota_state ${res.status}`);
      }
      return res.body.result.tokens_used;
    };

    // alice runs, bob sleeps: both are moved, and bob is still asleep afterwards.
    await turn('alice', 'Before the reload');
    await turn('bob', 'Before the reload too');
    const bobKeyHash = await keyHashOf('bob');
    expect((await product.api.sleepEngine({ params: { user_id: 'bob' } })).status).toBe(200);
    const aliceTokens = await tokensUsed('alice');
    expect(aliceTokens).toBeGreaterThan(0);
    const { pool, engine_version: oldImage } = await engineOf('alice');

    const good = await buildVariant(
      docker,
      oldImage,
      'localhost/agentplane-reload-it:good',
      'LABEL reload-it=good',
    );
    // Broken for bob only: alice (older, moved first) comes up on it, so the failure on bob must
    // also move alice back.
    const broken = await buildVariant(
      docker,
      oldImage,
      'localhost/agentplane-reload-it:broken',
      `CMD ["node", "-e", "if (process.env.ENGINE_KEY_HASH === '${bobKeyHash}') process.exit(3); import('./main.js')"]`,
    );
    for (const [id, image] of [
      ['engine-good', good],
      ['engine-broken', broken],
    ] as const) {
      const created = await admin.createCatalogModel({
        body: { id, digest: image.digest, source_url: image.ref },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }

    const reloaded = await poolAdmin.reloadPool({
      params: { id: pool },
      body: { new_model_ref: 'engine-good' },
    });
    expect(reloaded.status, JSON.stringify(reloaded.body)).toBe(200);
    expect(reloaded.body).toEqual({
      pool_id: pool,
      model_ref: 'engine-good',
      image: good.ref,
      engines_reloaded: 2,
    });
    expect(await engineOf('alice')).toMatchObject({ status: 'running', engine_version: good.ref });
    expect(await engineOf('bob')).toMatchObject({ status: 'sleeping', engine_version: good.ref });
    const alice = await engineOf('alice');
    const container = (await docker.listContainers({ all: true })).find((c) =>
      Object.values(c.Labels ?? {}).includes(alice.engine_id),
    );
    expect(container?.Image).toContain('agentplane-reload-it:good');
    // The brain came along: the new container's engine still counts the turn before.
    expect(await tokensUsed('alice')).toBe(aliceTokens);
    await turn('alice', 'After the reload');

    // The broken image's engine never answers: the pool is put back as it was.
    const failed = await poolAdmin.reloadPool({
      params: { id: pool },
      body: { new_model_ref: 'engine-broken' },
    });
    expect(failed.status).toBe(409);
    expect(failed.body).toMatchObject({
      code: 'CONFLICT',
      details: { image: broken.ref, rolled_back: 1, restored: 1 },
    });
    expect(await engineOf('alice')).toMatchObject({ status: 'running', engine_version: good.ref });
    expect(await engineOf('bob')).toMatchObject({ status: 'sleeping', engine_version: good.ref });
    await turn('alice', 'After the failed reload');
    await turn('bob', 'Woken after the failed reload');
    const audit = await product.api.listAudit({ query: { limit: 500 } });
    const actions = audit.status === 200 ? audit.body.entries.map((e) => e.action) : [];
    expect(actions).toContain('reload');
    expect(actions).toContain('reload_failed');

    // Bad input: unknown pool, unknown entry, a platform key.
    const unknownPool = await poolAdmin.reloadPool({
      params: { id: 'no-such-pool' },
      body: { new_model_ref: 'engine-good' },
    });
    expect(unknownPool.status).toBe(404);
    const unknownRef = await poolAdmin.reloadPool({
      params: { id: pool },
      body: { new_model_ref: 'no-such-entry' },
    });
    expect(unknownRef).toMatchObject({ status: 400, body: { code: 'INVALID_PARAMS' } });
    const asProduct = await data.reloadPool({
      params: { id: pool },
      body: { new_model_ref: 'engine-good' },
    });
    expect(asProduct.status).toBe(403);
  });
});
