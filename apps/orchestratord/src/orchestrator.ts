import type { Logger } from '@agentplane/http-kit';
import type { Kysely } from 'kysely';
import { admit } from './admission/admit.js';
import type { LastAdmitRecorder } from './admission/last-admit.js';
import { createLastAdmitRecorder } from './admission/last-admit.js';
import type { RateLimiter } from './admission/rate-limiter.js';
import { capabilitiesFor } from './catalog/capabilities.js';
import { createCatalog } from './catalog/catalog.js';
import { type Config, imageAllowed } from './config.js';
import { createLockSession } from './db/lock-session.js';
import type { Database } from './db/schema.js';
import { isPortFree } from './drivers/free-port.js';
import { createAuditLog } from './fleet/audit.js';
import { createEngineLocks } from './fleet/engine-locks.js';
import { createEngineRepo } from './fleet/engine-repo.js';
import { createEngineView, type Pool } from './fleet/engine-view.js';
import { createLifecycle } from './fleet/lifecycle.js';
import { createPoolReload } from './fleet/pool-reload.js';
import { createProductRepo, type ProductRow } from './fleet/product-repo.js';
import { createStateMachine } from './fleet/state-machine.js';
import { createStateWatch } from './fleet/state-watch.js';
import { noopTransitionPublisher, type TransitionPublisher } from './fleet/transition-publisher.js';
import { waitForState } from './fleet/wait-state.js';
import { createWarmPool } from './fleet/warm-pool.js';
import { createHealthLoop } from './health/health-loop.js';
import { createLeadership } from './health/leadership.js';
import { reconcile } from './health/reconcile.js';
import { createSealer, withOpenCache } from './keys/secrets.js';
import { createDataPlane } from './tasks/data-plane.js';

export interface OrchestratorDeps {
  config: Config;
  db: Kysely<Database>;
  /** Which database `db` is: PGlite has one process, so no leader election or DB locks. */
  dbKind: 'postgres' | 'pglite';
  pools: readonly Pool[];
  limiter: RateLimiter;
  logger: Logger;
  masterKey: Buffer;
  /** The environment ORCH_ENGINE_ENV_PASSTHROUGH picks from (process.env in production). */
  env: NodeJS.ProcessEnv;
  /** Where recorded transitions are published (engine.lifecycle); default nowhere. */
  publisher?: TransitionPublisher;
}

/** Everything behind the HTTP surface, wired once; main.ts and the tests both build it here. */
export function createOrchestrator(deps: OrchestratorDeps) {
  const { config, logger } = deps;
  const repo = createEngineRepo(deps.db);
  const products = createProductRepo(deps.db);
  const audit = createAuditLog(deps.db);
  // How often the lock session is pinged and a standby tries to lead.
  const leaseCheckMs = Math.min(5000, config.ORCH_HEALTH_INTERVAL_MS);
  const session =
    deps.dbKind === 'postgres'
      ? createLockSession({ db: deps.db, logger, pingMs: leaseCheckMs })
      : undefined;
  const mutex = createEngineLocks({
    session,
    logger,
    waitMs: config.ORCH_BOOT_TIMEOUT_S * 1000 + 10_000,
  });
  const watch = createStateWatch();
  const engineEnv = Object.fromEntries(
    config.ORCH_ENGINE_ENV_PASSTHROUGH.flatMap((name) => {
      const value = deps.env[name];
      return value === undefined ? [] : [[name, value]];
    }),
  );
  const sealer = withOpenCache(createSealer(deps.masterKey));
  const view = createEngineView({ pools: deps.pools, sealer, engineEnv });
  const machine = createStateMachine({
    repo,
    audit,
    watch,
    publisher: deps.publisher ?? noopTransitionPublisher,
  });
  const restart = {
    baseMs: config.ORCH_RESTART_BASE_MS,
    factor: config.ORCH_RESTART_FACTOR,
    capMs: config.ORCH_RESTART_CAP_MS,
    maxAttempts: config.ORCH_RESTART_MAX_ATTEMPTS,
  };
  // Engine images (llama-orch's /v1/catalog): a Retired one starts no new engine.
  const catalog = createCatalog({
    db: deps.db,
    pools: deps.pools,
    logger,
    defaultImage: config.ORCH_ENGINE_IMAGE ?? 'process',
  });
  const lifecycle = createLifecycle({
    repo,
    view,
    machine,
    sealer,
    pools: deps.pools,
    mutex,
    logger,
    isPortFree,
    defaultImage: config.ORCH_ENGINE_IMAGE ?? 'process',
    imageAllowed: (image) => imageAllowed(config, image),
    admitImage: catalog.admitImage,
    portMin: config.ORCH_PORT_MIN,
    portMax: config.ORCH_PORT_MAX,
    bootTimeoutMs: config.ORCH_BOOT_TIMEOUT_S * 1000,
    stopGraceS: config.ORCH_STOP_GRACE_S,
    rotationOverlapMs: config.ORCH_KEY_ROTATION_OVERLAP_S * 1000,
    warmPool: config.ORCH_WARM_POOL_SIZE > 0,
    onWarmClaimed: () => warmPool.trigger(),
    restart,
  });
  const warmPool = createWarmPool({
    size: config.ORCH_WARM_POOL_SIZE,
    repo,
    products,
    lifecycle,
    logger,
    intervalMs: config.ORCH_HEALTH_INTERVAL_MS,
  });
  const lastAdmit: LastAdmitRecorder = createLastAdmitRecorder(repo, logger);
  const healthLoop = createHealthLoop({
    repo,
    lifecycle,
    view,
    pools: deps.pools,
    logger,
    intervalMs: config.ORCH_HEALTH_INTERVAL_MS,
    probeTimeoutMs: config.ORCH_HEALTH_TIMEOUT_MS,
    concurrency: config.ORCH_HEALTH_CONCURRENCY,
    failuresToFail: config.ORCH_HEALTH_FAILURES,
    maxRestartAttempts: restart.maxAttempts,
    idleMs: config.ORCH_IDLE_S * 1000,
  });
  const reconcileOnce = () =>
    reconcile({
      repo,
      lifecycle,
      view,
      pools: deps.pools,
      logger,
      bootTimeoutMs: config.ORCH_BOOT_TIMEOUT_S * 1000,
      probeTimeoutMs: config.ORCH_HEALTH_TIMEOUT_MS,
    });
  let reconcileTimer: NodeJS.Timeout | undefined;
  const leadership = createLeadership({
    session,
    key: `orchestratord:${config.ORCH_FLEET_ID}`,
    retryMs: leaseCheckMs,
    logger,
    async onLead() {
      await reconcileOnce();
      healthLoop.start();
      reconcileTimer = setInterval(() => {
        void reconcileOnce().catch((error: unknown) =>
          logger.error({ err: error }, 'reconcile failed'),
        );
      }, config.ORCH_RECONCILE_INTERVAL_S * 1000);
      reconcileTimer.unref();
      warmPool.start();
    },
    async onLose() {
      clearInterval(reconcileTimer);
      await warmPool.stop();
      await healthLoop.stop();
    },
  });

  const waitSettled = async (engineId: string) => {
    await waitForState(
      { repo, watch },
      engineId,
      (status) => status !== 'provisioning',
      config.ORCH_BOOT_TIMEOUT_S * 1000 + 1000,
    );
  };
  const data = createDataPlane({
    db: deps.db,
    config,
    engines: repo,
    products,
    poolNames: deps.pools.map((p) => p.name),
    defaultImage: config.ORCH_ENGINE_IMAGE ?? 'process',
    models: catalog,
    logger,
    // A task needs its engine: always wake it; provision as the product's policy says.
    admit: async (product, userId, engine) => {
      const admitDeps = { repo, lifecycle, view, limiter: deps.limiter, lastAdmit, waitSettled };
      const first = await admit(admitDeps, product, userId, true, { engine });
      if (first.admitted || first.status !== 'failed') {
        return first;
      }
      // A failed engine (a crash) is being restarted by the health loop: a task waits for that
      // restart (its first backoff and one boot) instead of failing at once.
      const row = await repo.byUser(product.id, userId);
      if (row !== undefined) {
        const patienceMs = config.ORCH_RESTART_BASE_MS + config.ORCH_BOOT_TIMEOUT_S * 1000 + 1000;
        await waitForState({ repo, watch }, row.id, (s) => s !== 'failed', patienceMs);
      }
      return admit(admitDeps, product, userId, true);
    },
  });

  return {
    repo,
    products,
    audit,
    data,
    catalog,
    capabilities: (product: ProductRow) => capabilitiesFor({ catalog, config }, product),
    lifecycle,
    /** POST /v1/pools/{id}/reload: a rolling upgrade to another image (pool-reload.ts). */
    reloadPool: createPoolReload({ repo, lifecycle, logger }),
    view,
    watch,
    limiter: deps.limiter,
    lastAdmit,
    pools: deps.pools,
    healthLoop,
    warmPool,
    reconcile: reconcileOnce,
    waitSettled,
    isLeader: leadership.isLeader,
    /**
     * Joins the leader election; the leader reconciles once, then runs the health loop, the
     * periodic reconcile and the warm pool. Resolves once this replica knows its role.
     */
    async start() {
      await catalog.seed();
      session?.start();
      await leadership.start();
      data.dispatcher.start();
    },
    /** Stops the loops; engines keep running (they belong to the fleet, not to this process). */
    async close() {
      await data.dispatcher.stop(config.SHUTDOWN_GRACE_MS);
      await leadership.close();
      await session?.close();
      lifecycle.close();
      await lastAdmit.close();
      await deps.limiter.close();
      for (const pool of deps.pools) {
        await pool.driver.close();
      }
    },
  };
}
export type Orchestrator = ReturnType<typeof createOrchestrator>;
