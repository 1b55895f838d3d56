import type { EngineInfo, EngineWithKey } from '@agentplane/contracts';
import { ApiError } from '@agentplane/http-kit';
import type { EngineDriver, EngineSpec } from '../drivers/driver.js';
import type { Sealer } from '../keys/secrets.js';
import type { EngineRow } from './engine-repo.js';

export interface Pool {
  name: string;
  driver: EngineDriver;
}

/**
 * What a row means outside the database: its pool and driver, its url, its key (unsealed), the
 * spec a driver runs it from, and the API's view of it. Pure reads; no state changes here.
 */
export function createEngineView(deps: {
  pools: readonly Pool[];
  sealer: Sealer;
  /** Variables passed into every engine (ORCH_ENGINE_ENV_PASSTHROUGH, resolved once). */
  engineEnv: Readonly<Record<string, string>>;
}) {
  const poolByName = new Map(deps.pools.map((p) => [p.name, p]));

  const poolOf = (row: Pick<EngineRow, 'pool'>): Pool => {
    const pool = poolByName.get(row.pool);
    if (pool === undefined) {
      throw new ApiError({
        code: 'SERVICE_UNAVAILABLE',
        message: `Pool ${row.pool} is not configured`,
      });
    }
    return pool;
  };
  const urlOf = (row: EngineRow): string => poolOf(row).driver.urlFor(row.host_port);
  const keyOf = (row: EngineRow): string => deps.sealer.open(row.key_enc, row.id);

  const specOf = (row: EngineRow): EngineSpec => ({
    engineId: row.id,
    productId: row.product_id,
    userId: row.user_id,
    image: row.image,
    hostPort: row.host_port,
    keyHash: row.key_hash,
    env: deps.engineEnv,
  });

  const info = (row: EngineRow): EngineInfo => ({
    engine_id: row.id,
    user_id: row.user_id,
    status: row.status,
    url: urlOf(row),
    engine_version: row.image,
    pool: row.pool,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    last_health_at: row.last_health_at?.toISOString() ?? null,
    last_admit_at: row.last_admit_at?.toISOString() ?? null,
    boot_ms: row.boot_ms,
    restart_count: row.restart_count,
  });

  const withKey = (row: EngineRow): EngineWithKey => ({ ...info(row), engine_key: keyOf(row) });

  return { poolOf, urlOf, keyOf, specOf, info, withKey };
}
export type EngineView = ReturnType<typeof createEngineView>;

/** The per-engine lock's key: one user's engine in one product. */
export const lockKeyOf = (row: Pick<EngineRow, 'product_id' | 'user_id'>): string =>
  `${row.product_id}/${row.user_id}`;
