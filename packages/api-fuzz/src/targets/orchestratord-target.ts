import { surfaceByName } from '@agentplane/contracts';
import {
  createTmpDir,
  type LiveOrchestratord,
  type PgTestDatabase,
  startLiveOrchestratord,
} from '@agentplane/testkit';
import { surfaceDocument } from '../openapi/api-document.js';
import { FUZZ_BODY_LIMIT_BYTES, type FuzzTarget, type StateSnapshot } from './fuzz-target.js';

const USER = 'fuzz-user';
// Actors whose audit rows only requests write (health, reconcile and idle run on their own).
const REQUEST_ACTORS = ['api', 'admin'];

async function call(base: string, path: string, headers: Record<string, string>, body?: object) {
  const res = await fetch(`${base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) {
    throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  }
  return json;
}

/** Straight from the tables: every product with its policy, engines, request-made audit rows. */
async function dbState(pg: PgTestDatabase): Promise<StateSnapshot> {
  const products = await pg.db
    .selectFrom('orchestratord.products')
    .select(['id', 'slug', 'display_name', 'key_hash', 'policy'])
    .orderBy('id')
    .execute();
  const engines = await pg.db
    .selectFrom('orchestratord.engines')
    // Not last_admit_at: admits are batched into it up to a second later, so a change there
    // cannot be pinned on one request (an admit that wrongly succeeds fails on its status).
    .select(['id', 'product_id', 'user_id', 'status', 'image', 'key_hash', 'prev_key_hash'])
    .orderBy('id')
    .execute();
  const audit = await pg.db
    .selectFrom('orchestratord.audit_log')
    .select(['id', 'actor', 'action', 'user_id'])
    .where('actor', 'in', REQUEST_ACTORS)
    .orderBy('id')
    .execute();
  return { products, engines, audit };
}

// What requests change on an engine; health and admit times move on their own.
const ENGINE_FIELDS = ['engine_id', 'user_id', 'status', 'url', 'engine_version', 'engine_key'];

function pickFields(row: unknown): Record<string, unknown> {
  const source = (typeof row === 'object' && row !== null ? row : {}) as Record<string, unknown>;
  return Object.fromEntries(ENGINE_FIELDS.filter((f) => f in source).map((f) => [f, source[f]]));
}

/** Through the API (PGlite is inside the service): engines, the engine's key, audit rows. */
async function apiState(base: string, platformKey: string): Promise<StateSnapshot> {
  const headers = { 'x-platform-key': platformKey };
  const list = await call(base, '/engines?limit=500', headers);
  const engine = await call(base, `/engines/${USER}`, headers).catch((e: unknown) => String(e));
  const audit = await call(base, '/audit?limit=1000', headers);
  const rows = (Object.values(audit).find(Array.isArray) ?? []) as Array<{ actor?: string }>;
  return {
    engines: ((list.engines ?? []) as unknown[]).map(pickFields),
    engine: typeof engine === 'string' ? engine : pickFields(engine),
    audit: rows.filter((r) => REQUEST_ACTORS.includes(r.actor ?? '')),
  };
}

/**
 * The real orchestratord with the process driver: a fresh Postgres database (or its PGlite
 * when DATABASE_URL is unset), one registered product and one provisioned engine, so
 * engine-scoped operations have a real target. State: products and policies, engines and
 * request-made audit rows (from the database; through the API on PGlite, without products).
 */
export async function startOrchestratordTarget(): Promise<FuzzTarget> {
  const tmp = await createTmpDir('api-fuzz-orch-');
  let orch: LiveOrchestratord | undefined;
  const cleanup = async () => {
    await orch?.close();
    await tmp.remove();
  };
  try {
    orch = await startLiveOrchestratord({
      dataDir: tmp.path,
      fleetPrefix: 'fuzz',
      env: {
        BODY_LIMIT_BYTES: String(FUZZ_BODY_LIMIT_BYTES),
        // Background work off for the run: a probe, reconcile or idle sleep moving the engine
        // would be pinned on whichever request was just sent.
        ORCH_HEALTH_INTERVAL_MS: '3600000',
        ORCH_RECONCILE_INTERVAL_S: '86400',
        ORCH_IDLE_S: '0',
      },
    });
    const { service, adminKey, pg } = orch;
    const base = service.baseUrl;
    const product = await call(
      base,
      '/products/register',
      { 'x-admin-key': adminKey },
      {
        slug: 'fuzz',
        display_name: 'Fuzz',
      },
    );
    const platformKey = String(product.platform_key);
    await call(base, '/engines/provision', { 'x-platform-key': platformKey }, { user_id: USER });
    return {
      name: 'orchestratord',
      doc: surfaceDocument(surfaceByName('orchestratord-control')),
      port: service.port,
      credentials: { platformKey, adminKey },
      pathParams: { user_id: USER, product_id: String(product.product_id) },
      overrides: {
        // Answer at once: the engine is running, so this is the state it is in.
        waitEngine: { query: { state: 'running', timeout_s: '0' } },
      },
      bodyLimitBytes: FUZZ_BODY_LIMIT_BYTES,
      snapshot: () => (pg === undefined ? apiState(base, platformKey) : dbState(pg)),
      close: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
