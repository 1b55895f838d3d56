import type {
  CatalogEntry,
  CatalogModel,
  CatalogModelState,
  CatalogVerification,
} from '@agentplane/contracts';
import { ApiError, type Logger } from '@agentplane/http-kit';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Pool } from '../fleet/engine-view.js';
import { createCatalogMetrics } from './catalog-metrics.js';
import { type CatalogRow, createCatalogRepo, toEntry } from './catalog-repo.js';
import { checkImage, hostDigestOf, ImageCheckError } from './image-check.js';
import { pinnedDigest, seedIdOf } from './seed-id.js';
import { isStrict, trustGaps } from './trust-policy.js';

/** The engine family of an entry that names none (and of the seeded one). */
export const DEFAULT_ENGINE_FAMILY = 'agentplane';

export interface CatalogDeps {
  db: Kysely<Database>;
  pools: readonly Pool[];
  logger: Logger;
  /** ORCH_ENGINE_IMAGE, or the process driver's `process`: seeded, and what `default` names. */
  defaultImage: string;
}

const DIGEST_REF = /^sha256:[0-9a-f]{3,64}$/;

const notFound = (id: string) =>
  new ApiError({ code: 'NOT_FOUND', message: `No catalog entry ${id}` });
const taken = (id: string) =>
  new ApiError({ code: 'CONFLICT', message: `A catalog entry ${id} exists` });

/**
 * The catalog of engine images (llama-orch's /v1/catalog): entries checked against every
 * pool's container engine, their lifecycle state, the seed of ORCH_ENGINE_IMAGE, and the two
 * questions the rest asks of it: what a task's model_ref names, and whether an image may start a
 * new engine.
 */
export function createCatalog(deps: CatalogDeps) {
  const repo = createCatalogRepo(deps.db);
  const log = deps.logger.child({ component: 'catalog' });
  const metrics = createCatalogMetrics();
  const defaultId = seedIdOf(deps.defaultImage);

  async function mustFind(id: string): Promise<CatalogRow> {
    const row = await repo.byId(id);
    if (row === undefined) {
      throw notFound(id);
    }
    return row;
  }

  /** checkImage, counted in catalog_verifications_total. */
  async function check(engine: string, image: string, digest: string): Promise<string[]> {
    try {
      const pools = await checkImage(deps.pools, image, digest);
      metrics.verifications.inc({ result: 'ok', reason: 'ok', engine });
      return pools;
    } catch (err) {
      const reason = err instanceof ImageCheckError ? err.reason : 'error';
      metrics.verifications.inc({ result: 'fail', reason, engine });
      throw err;
    }
  }

  /**
   * Adds ORCH_ENGINE_IMAGE's entry unless it exists (every replica at start: an insert that
   * loses a race changes nothing). Its digest is the reference's pin, else what the host says
   * (tags, the process driver's entry file). A host that disagrees is logged, not fatal: the
   * fleet still starts, and verify reports the drift.
   */
  async function seed(): Promise<void> {
    const image = deps.defaultImage;
    const existing = await repo.byId(defaultId);
    let digest = existing?.digest ?? pinnedDigest(image);
    try {
      digest ??= await hostDigestOf(deps.pools, image);
    } catch (err) {
      log.warn({ err, image }, 'catalog seed: the host could not be asked for the image');
    }
    if (digest === undefined) {
      log.warn({ image }, 'catalog seed skipped: the image is not on the host');
      return;
    }
    const verified = await check(DEFAULT_ENGINE_FAMILY, image, digest).then(
      () => true,
      (err: unknown) => {
        log.warn({ err, image, id: defaultId }, 'catalog seed: the image does not verify');
        return false;
      },
    );
    if (existing !== undefined) {
      return;
    }
    const model: CatalogModel = { id: defaultId, digest, source_url: image, tags: ['default'] };
    const row = await repo.insert({
      id: defaultId,
      engine: DEFAULT_ENGINE_FAMILY,
      image,
      digest,
      model,
      verifiedAt: verified ? new Date() : undefined,
    });
    if (row !== undefined) {
      log.info({ id: defaultId, image, digest }, 'catalog seeded with the default image');
    }
  }

  return {
    repo,
    metrics,
    /** The entry `default` names: ORCH_ENGINE_IMAGE's (the process driver: `process`). */
    defaultId,
    seed,

    async create(model: CatalogModel): Promise<CatalogEntry> {
      if (model.id === 'default') {
        throw new ApiError({
          code: 'INVALID_PARAMS',
          message: 'The id default names the default image’s entry; choose another',
        });
      }
      const engine = model.engine ?? DEFAULT_ENGINE_FAMILY;
      const gaps = trustGaps(model);
      if (gaps.length > 0 && isStrict(model)) {
        metrics.verifications.inc({ result: 'fail', reason: 'untrusted', engine });
        throw new ApiError({
          code: 'UNTRUSTED_ARTIFACT',
          message: `The strict trust policy refuses it: ${gaps.join('; ')}`,
          details: { gaps },
        });
      }
      if (gaps.length > 0) {
        log.warn({ id: model.id, gaps }, 'catalog entry accepted under a permissive trust policy');
      }
      if ((await repo.byId(model.id)) !== undefined) {
        throw taken(model.id);
      }
      // What engines run: the reference given, else the digest (an image ID is a reference).
      const image = model.source_url ?? model.digest;
      await check(engine, image, model.digest);
      const row = await repo.insert({
        id: model.id,
        engine,
        image,
        digest: model.digest,
        model,
        verifiedAt: new Date(),
      });
      if (row === undefined) {
        throw taken(model.id);
      }
      log.info({ id: row.id, image, digest: row.digest }, 'catalog entry created');
      return toEntry(row);
    },

    async get(id: string): Promise<CatalogEntry> {
      return toEntry(await mustFind(id));
    },

    async list(): Promise<CatalogEntry[]> {
      return (await repo.list()).map(toEntry);
    },

    async remove(id: string): Promise<void> {
      if (!(await repo.remove(id))) {
        throw notFound(id);
      }
      log.info({ id }, 'catalog entry deleted');
    },

    /** The image is on every pool with the entry's digest (else 422), now stamped verified. */
    async verify(id: string): Promise<CatalogVerification> {
      const row = await mustFind(id);
      const pools = await check(row.engine, row.image, row.digest);
      const stamped = await repo.markVerified(id);
      if (stamped === undefined) {
        throw notFound(id);
      }
      return {
        id,
        status: 'verified',
        digest: row.digest,
        pools,
        last_verified_ms: stamped.verified_at?.getTime() ?? Date.now(),
      };
    },

    async setState(id: string, state: CatalogModelState): Promise<CatalogEntry> {
      const row = await repo.setState(id, state);
      if (row === undefined) {
        throw notFound(id);
      }
      log.info({ id, state, image: row.image }, 'catalog entry state set');
      return toEntry(row);
    },

    /**
     * The entry a task's model_ref names, if any: an id, `default` (the default image's), or a
     * digest `sha256:<hex>` in full or as a unique prefix (≥ 3 hex, as image IDs are shortened;
     * llama-orch's clients name models by digest). Entries of one digest are one artifact: an
     * Active one is preferred. Prefixes of several digests are refused, never guessed.
     */
    async resolve(modelRef: string): Promise<CatalogRow | undefined> {
      if (!DIGEST_REF.test(modelRef)) {
        return repo.byId(modelRef === 'default' ? defaultId : modelRef);
      }
      const rows = await repo.byDigestPrefix(modelRef);
      const digests = [...new Set(rows.map((r) => r.digest))];
      if (digests.length > 1) {
        throw new ApiError({
          code: 'INVALID_PARAMS',
          message: `model_ref ${modelRef} is a prefix of ${digests.length} digests; give more of it`,
          details: { model_ref: modelRef, digests },
        });
      }
      return rows.find((r) => r.state === 'Active') ?? rows[0];
    },

    /**
     * Refuses a new engine of `image` when an entry naming it is Retired (MODEL_DEPRECATED). An
     * image the catalog does not know is not refused: provisioning predates the catalog.
     */
    async admitImage(image: string): Promise<void> {
      if ((await repo.statesOf(image)).includes('Retired')) {
        throw new ApiError({
          code: 'MODEL_DEPRECATED',
          message: `The image ${image} is Retired in the catalog: it starts no new engine`,
          details: { image },
        });
      }
    },
  };
}
export type Catalog = ReturnType<typeof createCatalog>;
