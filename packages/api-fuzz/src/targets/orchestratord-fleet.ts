import { surfaceByName } from '@agentplane/contracts';
import {
  createTmpDir,
  type LiveOrchestratord,
  type PgTestDatabase,
  startLiveOrchestratord,
} from '@agentplane/testkit';
import { surfaceDocument } from '../openapi/api-document.js';
import { FUZZ_BODY_LIMIT_BYTES, type FuzzTarget } from './fuzz-target.js';

/** The end user whose engine every orchestratord target provisions. */
export const FUZZ_USER = 'fuzz-user';

/** A JSON call to the fleet that must succeed (set-up and snapshots): POST when given a body. */
export async function call(
  base: string,
  path: string,
  headers: Record<string, string>,
  body?: object,
): Promise<Record<string, unknown>> {
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

/** A running orchestratord with one product and its user's running engine. */
export interface FuzzFleet {
  base: string;
  adminKey: string;
  platformKey: string;
  productId: string;
  /** The pool FUZZ_USER's engine runs in (the /v1 data plane's). */
  pool: string;
  /** The test's own Postgres database; undefined on PGlite (inside the service). */
  pg: PgTestDatabase | undefined;
}

/** What a target adds to its fleet: the document, and its resources, overrides and state. */
export type FleetTargetParts = Omit<FuzzTarget, 'kitDoc' | 'port' | 'bodyLimitBytes' | 'close'>;

/**
 * The real orchestratord with the process driver: a fresh Postgres database (or its PGlite
 * when DATABASE_URL is unset), one registered product and FUZZ_USER's engine provisioned, so
 * engine-scoped operations have a real target. `build` adds what the surface needs (more
 * resources, overrides, the snapshot); the fleet is stopped if it throws.
 */
export async function startFleetTarget(
  name: string,
  build: (fleet: FuzzFleet) => Promise<FleetTargetParts>,
): Promise<FuzzTarget> {
  const tmp = await createTmpDir(`api-fuzz-${name}-`);
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
    const base = orch.service.baseUrl;
    const product = await call(
      base,
      '/products/register',
      { 'x-admin-key': orch.adminKey },
      { slug: 'fuzz', display_name: 'Fuzz' },
    );
    const platformKey = String(product.platform_key);
    const engine = await call(
      base,
      '/engines/provision',
      { 'x-platform-key': platformKey },
      { user_id: FUZZ_USER },
    );
    const parts = await build({
      base,
      adminKey: orch.adminKey,
      platformKey,
      productId: String(product.product_id),
      pool: String(engine.pool),
      pg: orch.pg,
    });
    return {
      ...parts,
      // What it refuses before routing is in the control plane's envelope, /v1/ or not.
      kitDoc: surfaceDocument(surfaceByName('orchestratord-control')),
      port: orch.service.port,
      bodyLimitBytes: FUZZ_BODY_LIMIT_BYTES,
      close: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
