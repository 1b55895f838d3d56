import { surfaceByName } from '@agentplane/contracts';
import type { PgTestDatabase } from '@agentplane/testkit';
import { surfaceDocument } from '../openapi/api-document.js';
import type { FuzzTarget, StateSnapshot } from './fuzz-target.js';
import { call, FUZZ_USER, startFleetTarget } from './orchestratord-fleet.js';

// Actors whose audit rows only requests write (health, reconcile and idle run on their own).
const REQUEST_ACTORS = ['api', 'admin'];

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
  const engine = await call(base, `/engines/${FUZZ_USER}`, headers).catch((e: unknown) =>
    String(e),
  );
  const audit = await call(base, '/audit?limit=1000', headers);
  const rows = (Object.values(audit).find(Array.isArray) ?? []) as Array<{ actor?: string }>;
  return {
    engines: ((list.engines ?? []) as unknown[]).map(pickFields),
    engine: typeof engine === 'string' ? engine : pickFields(engine),
    audit: rows.filter((r) => REQUEST_ACTORS.includes(r.actor ?? '')),
  };
}

/**
 * The control plane on the fleet (startFleetTarget): the registered product and the user's
 * engine are what product- and engine-scoped operations aim at. State: products and policies,
 * engines and request-made audit rows (from the database; through the API on PGlite, without
 * products).
 */
export function startOrchestratordTarget(): Promise<FuzzTarget> {
  return startFleetTarget('orch', async ({ base, adminKey, platformKey, productId, pg }) => ({
    name: 'orchestratord',
    doc: surfaceDocument(surfaceByName('orchestratord-control')),
    credentials: { platformKey, adminKey },
    pathParams: { user_id: FUZZ_USER, product_id: productId },
    overrides: {
      // Answer at once: the engine is running, so this is the state it is in.
      waitEngine: { query: { state: 'running', timeout_s: '0' } },
    },
    snapshot: () => (pg === undefined ? apiState(base, platformKey) : dbState(pg)),
  }));
}
