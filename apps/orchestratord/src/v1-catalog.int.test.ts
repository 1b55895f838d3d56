import { createHash, randomBytes } from 'node:crypto';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createClient, orchestratordCatalogRoutes } from '@agentplane/contracts';
import { connectDocker, createTmpDir, type TmpDir } from '@agentplane/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { buildEngineBundle } from './drivers/driver-test-support.js';
import { dataClient, readStream, taskBody } from './tasks/test-data-plane.js';
import {
  driverVariants,
  registerProduct,
  TEST_ADMIN_KEY,
  type TestOrchestrator,
} from './test-orchestrator.js';

// The catalog of engine images and /v1/capabilities (issue 15), through the generated client,
// once per driver: docker (Podman, the engine image, Postgres) and process (a copy of the
// engine bundle, PGlite). The seeded default entry, CRUD with the digest checked on the host,
// verify and drift, retire (a task naming it and a provision of its image refused), bad input.

const variants = driverVariants([24950, 24974], [24975, 24999]);
const sha256 = (bytes: Buffer | string) =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const MISSING_IMAGE = `localhost/agentplane-missing@sha256:${'0'.repeat(64)}`;

type CatalogClient = ReturnType<typeof catalogClient>;
const catalogClient = (baseUrl: string, headers: Record<string, string>) =>
  createClient(orchestratordCatalogRoutes, { baseUrl, headers: () => headers });

/** What differs per driver: what the seed is, and how its image can drift under the catalog. */
interface DriverSide {
  env: Record<string, string>;
  /** The seeded entry's id, image and digest once the fleet runs. */
  seed(fleet: TestOrchestrator): Promise<{ id: string; image: string; digest: string }>;
  /**
   * An entry id whose image drifts on `drift()`, created with `create` (docker: a tag of the
   * engine image, moved to another image; process: the seeded entry, its bundle edited).
   */
  driftable(catalog: CatalogClient, seed: { id: string; digest: string }): Promise<string>;
  drift(): Promise<void>;
  undrift(): Promise<void>;
  cleanup(): Promise<void>;
}

async function processSide(tmp: TmpDir): Promise<DriverSide> {
  // A copy of the bundle, so editing it (drift) touches no other test's engines.
  const bundle = await buildEngineBundle();
  const main = join(tmp.path, 'engine', 'main.js');
  await mkdir(dirname(main), { recursive: true });
  await cp(bundle, main);
  await cp(join(dirname(bundle), 'chunks'), join(dirname(main), 'chunks'), { recursive: true });
  const original = await readFile(main);
  return {
    env: { ORCH_ENGINE_COMMAND: JSON.stringify([process.execPath, main]) },
    seed: async () => ({ id: 'process', image: 'process', digest: sha256(original) }),
    driftable: async (_catalog, seed) => seed.id,
    drift: () => writeFile(main, Buffer.concat([original, Buffer.from('\n// rebuilt\n')])),
    undrift: () => writeFile(main, original),
    cleanup: async () => {},
  };
}

async function dockerSide(): Promise<DriverSide> {
  const docker = await connectDocker(process.env.DOCKER_HOST as string);
  const repo = 'localhost/agentplane-catalog-it';
  const tag = randomBytes(4).toString('hex');
  const moving = `${repo}:${tag}`;
  let engineImage = '';
  return {
    env: {},
    async seed(fleet) {
      const seeded = await fleet.orchestrator.catalog.get(fleet.orchestrator.catalog.defaultId);
      engineImage = seeded.source_url ?? '';
      expect(engineImage).toMatch(/^localhost\/agentplane-engine@sha256:[0-9a-f]{64}$/);
      return {
        id: seeded.id,
        image: engineImage,
        digest: engineImage.slice(engineImage.indexOf('@') + 1),
      };
    },
    async driftable(catalog, seed) {
      await docker.getImage(engineImage).tag({ repo, tag });
      const id = `moving-${tag}`;
      const res = await catalog.createCatalogModel({
        body: { id, digest: seed.digest, source_url: moving, tags: ['it'] },
      });
      expect(res.status).toBe(201);
      return id;
    },
    async drift() {
      // The tag moves to another image, as a push over a tag would.
      const engineId = (await docker.getImage(engineImage).inspect()).Id;
      const other = (await docker.listImages()).find(
        (i) => i.Id !== engineId && (i.RepoTags ?? []).some((t) => !t.includes('<none>')),
      );
      if (other === undefined) {
        throw new Error('no other tagged image on the host to move the tag to');
      }
      await docker.getImage(other.Id).tag({ repo, tag });
    },
    async undrift() {
      await docker.getImage(engineImage).tag({ repo, tag });
    },
    async cleanup() {
      // Only the tag goes: both images keep their own names.
      await docker
        .getImage(moving)
        .remove({ noprune: true })
        .catch(() => {});
    },
  };
}

describe.each(variants)('/v1 catalog and capabilities with the $name', (variant) => {
  const isDocker = variant.name.startsWith('docker');
  let fleet: TestOrchestrator | undefined;
  let side: DriverSide | undefined;
  let tmp: TmpDir | undefined;
  afterAll(async () => {
    await side?.cleanup();
    await fleet?.close();
    await tmp?.remove();
  });

  let admin: CatalogClient;
  let reader: CatalogClient;
  let data: ReturnType<typeof dataClient>;
  let control: Awaited<ReturnType<typeof registerProduct>>['api'];
  let seed: { id: string; image: string; digest: string };
  const started = () => {
    if (fleet === undefined || side === undefined) {
      throw new Error('the fleet did not start (see the first test)');
    }
    return { fleet, side };
  };

  it('seeds ORCH_ENGINE_IMAGE: listed, in capabilities, and a task naming it runs', async (ctx) => {
    tmp = await createTmpDir('orch-catalog-');
    side = isDocker ? await dockerSide() : await processSide(tmp);
    fleet = await variant.start(ctx, { ports: variant.ports, env: side.env });
    const product = await registerProduct(fleet, 'catalog', { auto_provision: true });
    admin = catalogClient(fleet.baseUrl, { 'x-admin-key': TEST_ADMIN_KEY });
    reader = catalogClient(fleet.baseUrl, { 'x-platform-key': product.platformKey });
    data = dataClient(fleet.baseUrl, product.platformKey);
    control = product.api;
    seed = await side.seed(fleet);

    const got = await reader.getCatalogModel({ params: { id: seed.id } });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      id: seed.id,
      digest: seed.digest,
      source_url: seed.image,
      engine: 'agentplane',
      state: 'Active',
      last_verified_ms: expect.any(Number),
    });
    const list = await reader.listCatalogModels();
    expect(list.status === 200 && list.body.models.map((m) => m.id)).toEqual([seed.id]);

    // A second start (another replica) seeds nothing new.
    await fleet.orchestrator.catalog.seed();
    expect((await fleet.orchestrator.catalog.list()).map((m) => m.id)).toEqual([seed.id]);

    const caps = await reader.getCapabilities();
    expect(caps.status).toBe(200);
    expect(caps.body).toEqual({
      api_version: '1.0.0',
      engines: [
        {
          id: seed.id,
          engine: 'agentplane',
          digest: seed.digest,
          state: 'Active',
          ctx_max: 1_048_576,
          max_tokens: 1_000_000,
          supported_workloads: ['completion'],
          rate_limits: { queue_capacity: 100, full_policy: 'reject' },
          features: expect.objectContaining({ streaming: 'sse', cancel: true }),
        },
      ],
    });

    const task = taskBody({ user_id: 'alice', model_ref: seed.id, prompt: 'Hi catalog' });
    const admitted = await data.createTask({ body: task });
    expect(admitted.status).toBe(202);
    const { events } = await readStream(data, task.task_id);
    expect(events.at(-1)).toMatchObject({ event: 'end' });

    const unknown = await data.createTask({ body: taskBody({ model_ref: 'no-such-image' }) });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({
      code: 'INVALID_PARAMS',
      details: { model_ref: 'no-such-image' },
    });
  });

  it('CRUD: create checks the digest on the host; get, list, delete', async () => {
    started();
    const id = `alias-${randomBytes(3).toString('hex')}`;
    const body = {
      id,
      digest: seed.digest,
      source_url: seed.image,
      tags: ['prod'],
      signatures: [{ signer: 'CI', algo: 'cosign', verified: true, timestamp_ms: 1 }],
      trust_policy: { mode: 'strict' as const, require_signature: true },
    };
    const created = await admin.createCatalogModel({ body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...body, engine: 'agentplane', state: 'Active' });
    expect((await admin.createCatalogModel({ body })).body).toMatchObject({ code: 'CONFLICT' });

    const read = await reader.getCatalogModel({ params: { id } });
    expect(read.status === 200 && read.body).toEqual(created.body);
    const list = await reader.listCatalogModels();
    expect(list.status === 200 && list.body.models.map((m) => m.id)).toEqual([seed.id, id]);

    // Another digest than the host's: refused, with what the host has.
    const wrong = `sha256:${'ab'.repeat(32)}`;
    const drifted = await admin.createCatalogModel({
      body: { id: `${id}-wrong`, digest: wrong, source_url: seed.image },
    });
    expect(drifted.status).toBe(422);
    expect(drifted.body).toMatchObject({
      code: 'UNTRUSTED_ARTIFACT',
      details: { expected: wrong, found: [{ digests: expect.arrayContaining([seed.digest]) }] },
    });
    if (isDocker) {
      const missing = await admin.createCatalogModel({
        body: {
          id: `${id}-missing`,
          digest: MISSING_IMAGE.split('@')[1] as string,
          source_url: MISSING_IMAGE,
        },
      });
      expect(missing.status).toBe(422);
      expect(missing.body).toMatchObject({
        code: 'IMAGE_NOT_FOUND',
        details: { image: MISSING_IMAGE },
      });
    }
    expect((await reader.getCatalogModel({ params: { id: `${id}-wrong` } })).status).toBe(404);

    expect((await admin.deleteCatalogModel({ params: { id } })).status).toBe(204);
    expect((await reader.getCatalogModel({ params: { id } })).status).toBe(404);
    const again = await admin.deleteCatalogModel({ params: { id } });
    expect(again.status).toBe(404);
    expect(again.body).toMatchObject({ code: 'NOT_FOUND', correlation_id: expect.any(String) });
  });

  it('verify: the digest found on the host; after drift a 422 naming what is there', async () => {
    const { side } = started();
    const id = await side.driftable(admin, seed);
    const ok = await admin.verifyCatalogModel({ params: { id } });
    expect(ok.status).toBe(202);
    expect(ok.body).toMatchObject({ id, status: 'verified', digest: seed.digest });

    await side.drift();
    const drifted = await admin.verifyCatalogModel({ params: { id } });
    expect(drifted.status).toBe(422);
    expect(drifted.body).toMatchObject({
      code: 'UNTRUSTED_ARTIFACT',
      details: { expected: seed.digest, found: [{ pool: expect.any(String) }] },
    });
    if (drifted.status === 422) {
      const found = (drifted.body.details as { found: { digests: string[] }[] }).found[0];
      expect(found?.digests).not.toContain(seed.digest);
    }

    await side.undrift();
    expect((await admin.verifyCatalogModel({ params: { id } })).status).toBe(202);
  });

  it('retire: a task naming it and a provision of its image are refused; Active admits again', async () => {
    started();
    const retired = await admin.setCatalogModelState({
      params: { id: seed.id },
      body: { state: 'Retired', deadline_ms: 600_000 },
    });
    expect(retired.status).toBe(202);
    expect(retired.body).toMatchObject({ id: seed.id, state: 'Retired' });

    for (const modelRef of [seed.id, 'default']) {
      const refused = await data.createTask({
        body: taskBody({ user_id: 'alice', model_ref: modelRef }),
      });
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({
        code: 'MODEL_DEPRECATED',
        retriable: false,
        engine: 'agentplane',
      });
    }
    const provision = await control.provisionEngine({ body: { user_id: 'bob' } });
    expect(provision.status).toBe(409);
    expect(provision.body).toMatchObject({
      error: { code: 'MODEL_DEPRECATED', details: { image: seed.image } },
    });
    const caps = await reader.getCapabilities();
    expect(caps.status === 200 && caps.body.engines[0]?.state).toBe('Retired');

    const active = await admin.setCatalogModelState({
      params: { id: seed.id },
      body: { state: 'Active' },
    });
    expect(active.status).toBe(202);
    const task = taskBody({ user_id: 'alice', model_ref: seed.id });
    expect((await data.createTask({ body: task })).status).toBe(202);
    const { events } = await readStream(data, task.task_id);
    expect(events.at(-1)).toMatchObject({ event: 'end' });
  });

  it('bad input and keys: 4xx in the flat envelope', async () => {
    const { fleet } = started();
    const cases: [string, () => Promise<{ status: number; body: unknown }>, number, string][] = [
      [
        'a digest that is not sha256:<64 hex>',
        () => admin.createCatalogModel({ body: { id: 'x', digest: 'sha256:deadbeef' } }),
        400,
        'INVALID_PARAMS',
      ],
      [
        'no id',
        () => admin.createCatalogModel({ body: { digest: seed.digest } as never }),
        400,
        'INVALID_PARAMS',
      ],
      [
        'the id default',
        () => admin.createCatalogModel({ body: { id: 'default', digest: seed.digest } }),
        400,
        'INVALID_PARAMS',
      ],
      [
        'an unknown state',
        () =>
          admin.setCatalogModelState({
            params: { id: seed.id },
            body: { state: 'Deprecated' } as never,
          }),
        400,
        'INVALID_PARAMS',
      ],
      [
        'strict trust without a verified signature',
        () =>
          admin.createCatalogModel({
            body: {
              id: 'unsigned',
              digest: seed.digest,
              source_url: seed.image,
              trust_policy: { mode: 'strict', require_signature: true },
            },
          }),
        422,
        'UNTRUSTED_ARTIFACT',
      ],
      [
        'a write with a platform key',
        () => reader.createCatalogModel({ body: { id: 'y', digest: seed.digest } }),
        403,
        'FORBIDDEN',
      ],
      [
        'a read without a key',
        () => catalogClient(fleet.baseUrl, {}).getCapabilities(),
        401,
        'UNAUTHORIZED',
      ],
      [
        'verify of an unknown id',
        () => admin.verifyCatalogModel({ params: { id: 'nope' } }),
        404,
        'NOT_FOUND',
      ],
      [
        'state of an unknown id',
        () => admin.setCatalogModelState({ params: { id: 'nope' }, body: { state: 'Retired' } }),
        404,
        'NOT_FOUND',
      ],
    ];
    for (const [what, call, status, code] of cases) {
      const res = await call();
      expect(res.status, what).toBe(status);
      expect(res.body, what).toMatchObject({ code, message: expect.any(String) });
    }
    expect((await reader.getCatalogModel({ params: { id: 'unsigned' } })).status).toBe(404);
  });
});
