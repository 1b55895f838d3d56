import { ApiError, type ApiErrorInit } from '@agentplane/http-kit';
import { DriverError } from '../drivers/driver.js';
import type { Pool } from '../fleet/engine-view.js';

/** Why a check failed, as `catalog_verifications_total{reason}` counts it. */
export type CheckFailure = 'missing' | 'digest_mismatch' | 'driver';

/** A failed image check: the API error, and its reason for the metric. */
export class ImageCheckError extends ApiError {
  readonly reason: CheckFailure;
  constructor(reason: CheckFailure, init: ApiErrorInit) {
    super(init);
    this.reason = reason;
  }
}

async function digestsOn(pool: Pool, image: string): Promise<string[] | undefined> {
  try {
    return await pool.driver.imageDigests(image);
  } catch (err) {
    const cause = err instanceof DriverError ? err.message : String(err);
    throw new ImageCheckError('driver', {
      code: 'DRIVER_ERROR',
      message: `Pool ${pool.name} could not inspect ${image}`,
      details: { pool: pool.name, image, cause },
    });
  }
}

/**
 * Checks that every pool holds `image` with `digest` among its digests (a provision may land on
 * any pool) and returns the pools' names. Missing on one → IMAGE_NOT_FOUND; another digest
 * there (a moved tag, a rebuilt engine bundle) → UNTRUSTED_ARTIFACT, with what was found.
 */
export async function checkImage(
  pools: readonly Pool[],
  image: string,
  digest: string,
): Promise<string[]> {
  const found = await Promise.all(
    pools.map(async (pool) => ({ pool: pool.name, digests: await digestsOn(pool, image) })),
  );
  const missing = found.filter((f) => f.digests === undefined).map((f) => f.pool);
  if (missing.length > 0) {
    throw new ImageCheckError('missing', {
      code: 'IMAGE_NOT_FOUND',
      message: `The image ${image} is not on pool ${missing.join(', ')}`,
      details: { image, pools: missing },
    });
  }
  const drifted = found.filter((f) => !(f.digests ?? []).includes(digest));
  if (drifted.length > 0) {
    throw new ImageCheckError('digest_mismatch', {
      code: 'UNTRUSTED_ARTIFACT',
      message:
        `The image ${image} does not have digest ${digest} on pool ` +
        `${drifted.map((f) => f.pool).join(', ')}`,
      details: { image, expected: digest, found: drifted },
    });
  }
  return found.map((f) => f.pool);
}

/** What the host's first pool says `image` is, for a seed that names no digest of its own. */
export async function hostDigestOf(pools: readonly Pool[], image: string) {
  const [first] = pools;
  return first === undefined ? undefined : (await digestsOn(first, image))?.[0];
}
