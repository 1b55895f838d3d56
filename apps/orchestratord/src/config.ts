import { fileURLToPath } from 'node:url';
import {
  BoolEnv,
  backendConfig,
  baseServiceConfig,
  IntEnv,
  parseConfig,
  refuseEmbeddedInProduction,
} from '@agentplane/http-kit';
import { z } from 'zod';

// Both src/config.ts and the bundle's dist/main.js sit one level under apps/orchestratord/.
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const positive = (max: number) => IntEnv.pipe(z.number().int().min(1).max(max));
const nonNegative = (max: number) => IntEnv.pipe(z.number().int().min(0).max(max));

/** 32 bytes as 64 hex chars or base64. */
const MasterKey = z.string().transform((v, ctx) => {
  const buf = /^[0-9a-fA-F]{64}$/.test(v) ? Buffer.from(v, 'hex') : Buffer.from(v, 'base64');
  if (buf.length !== 32) {
    ctx.addIssue({ code: 'custom', message: 'expected 32 bytes as 64 hex chars or base64' });
    return z.NEVER;
  }
  return buf;
});

const CsvList = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0),
);

/** `name=unix:///path,other=tcp://host:2375`: container hosts beyond DOCKER_HOST. */
const Pools = CsvList.transform((items, ctx) =>
  items.map((item) => {
    const eq = item.indexOf('=');
    const name = item.slice(0, eq);
    const host = item.slice(eq + 1);
    if (eq < 1 || !/^[a-z0-9-]+$/.test(name) || !/^(unix|tcp):\/\//.test(host)) {
      ctx.addIssue({
        code: 'custom',
        message: `pool "${item}": expected name=unix://… or name=tcp://…`,
      });
    }
    return { name, dockerHost: host };
  }),
);

/** A JSON array of argv, or a whitespace-separated command line. */
const Command = z.string().transform((v) => {
  const trimmed = v.trim();
  if (trimmed.startsWith('[')) {
    return z.array(z.string()).min(1).parse(JSON.parse(trimmed));
  }
  return trimmed.split(/\s+/);
});

const PINNED = /@sha256:[0-9a-f]{64}$/;

export const ConfigSchema = z
  .object({
    ...baseServiceConfig({ defaultPort: 8080 }),
    ...backendConfig,
    /** Docker or Podman API (unix:// or tcp://); with it the default driver is docker. */
    DOCKER_HOST: z
      .string()
      .regex(/^(unix|tcp|npipe):\/\//, 'expected unix://, tcp:// or npipe://')
      .optional(),
    /** process | docker; default docker when DOCKER_HOST is set, else process. */
    ORCH_DRIVER: z.enum(['process', 'docker']).optional(),
    /** Registers products. Absent outside production → generated once under ORCH_DATA_DIR. */
    ORCH_ADMIN_KEY: z.string().min(16, 'at least 16 characters').optional(),
    /** Encrypts engine keys at rest (AES-256-GCM). Absent outside production → generated once. */
    ORCH_MASTER_KEY: MasterKey.optional(),
    /** Labels every container and volume: several fleets (or test runs) can share one host. */
    ORCH_FLEET_ID: z
      .string()
      .regex(/^[a-z0-9-]{1,40}$/)
      .default('default'),
    /** PGlite data, dev secrets, process-driver engine dirs; default <repo>/.data/orchestratord. */
    ORCH_DATA_DIR: z.string().min(1).default(`${REPO_ROOT}.data/orchestratord`),
    /** The engine image, pinned by digest (`…@sha256:…`); required by the docker driver. */
    ORCH_ENGINE_IMAGE: z.string().min(1).optional(),
    /** Accept a tag (`:latest`) in ORCH_ENGINE_IMAGE / engine_version; development only. */
    ORCH_ALLOW_TAGS: BoolEnv.default(false),
    /** Variables copied from our environment into every engine's. */
    ORCH_ENGINE_ENV_PASSTHROUGH: CsvList.default([
      'LLM_BASE_URL',
      'LLM_API_KEY',
      'OPENAI_API_KEY',
      'ANTHROPIC_API_KEY',
      'GEMINI_API_KEY',
    ]),
    ORCH_ENGINE_NETWORK: z.string().min(1).default('engine_net'),
    ORCH_PORT_MIN: positive(65535).default(20000),
    ORCH_PORT_MAX: positive(65535).default(20999),
    ORCH_BOOT_TIMEOUT_S: positive(3600).default(60),
    ORCH_STOP_GRACE_S: nonNegative(600).default(30),
    ORCH_KEY_ROTATION_OVERLAP_S: nonNegative(86_400 * 7).default(300),
    /**
     * Process driver: what a graceful exit (SIGINT, SIGTERM) does to its running engines. `sleep`
     * (each is put to sleep: stopped, brain kept; the next admit wakes it), so Ctrl-C on
     * `pnpm dev` leaves no engine process behind. `keep`: they outlive us and the next start
     * adopts them (what a replica's rolling restart wants). Default: `sleep` on the embedded
     * database (the laptop path), `keep` with DATABASE_URL. A crash leaves them running either way.
     */
    ORCH_PROCESS_ENGINES_ON_EXIT: z.enum(['sleep', 'keep']).optional(),
    /** Process driver: argv of the engine (JSON array or words); default the workspace engine. */
    ORCH_ENGINE_COMMAND: Command.optional(),
    /** Catalog given to every engine read-only; default <repo>/catalog. */
    ORCH_CATALOG_DIR: z.string().min(1).default(`${REPO_ROOT}catalog`),
    ORCH_ENGINE_CPUS: z.coerce.number().positive().max(64).default(1),
    ORCH_ENGINE_MEMORY_MB: positive(1 << 20).default(512),
    ORCH_POOLS: Pools.optional(),
    ORCH_HEALTH_INTERVAL_MS: positive(3_600_000).default(5000),
    ORCH_HEALTH_TIMEOUT_MS: positive(60_000).default(2000),
    ORCH_HEALTH_CONCURRENCY: positive(1000).default(50),
    /** Consecutive failed probes before a running engine is marked failed. */
    ORCH_HEALTH_FAILURES: positive(100).default(3),
    ORCH_RESTART_BASE_MS: positive(3_600_000).default(1000),
    ORCH_RESTART_FACTOR: z.coerce.number().min(1).max(10).default(2),
    ORCH_RESTART_CAP_MS: positive(86_400_000).default(300_000),
    ORCH_RESTART_MAX_ATTEMPTS: positive(1000).default(8),
    /** Sleep engines after this many seconds without an admit; 0 = never. */
    ORCH_IDLE_S: nonNegative(86_400 * 365).default(1800),
    ORCH_RECONCILE_INTERVAL_S: positive(86_400).default(60),
    /**
     * Engines kept booted (default image, no user yet) so a provision only hands one over:
     * milliseconds instead of a boot. Each costs an idle engine's memory; 0 = none.
     */
    ORCH_WARM_POOL_SIZE: nonNegative(1000).default(0),
    /** With REDIS_URL: engine transitions go to stream `<prefix>:engine.lifecycle`; default bus. */
    ORCH_BUS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_:.-]{1,64}$/)
      .default('bus'),
    /** Entries kept in that stream (MAXLEN ~); default 100000. */
    ORCH_BUS_MAXLEN: positive(10_000_000).default(100_000),
    /** /v1 tasks queued per pool (llama-orch: capacity); a newcomer past it meets the policy. */
    ORCH_QUEUE_CAPACITY: positive(1_000_000).default(100),
    /** Full queue: `reject` (429 ADMISSION_REJECT) or `drop-lru` (the oldest batch task goes). */
    ORCH_QUEUE_POLICY: z.enum(['reject', 'drop-lru']).default('reject'),
    /** Tasks this replica relays at once (its dispatch slots). */
    ORCH_TASK_SLOTS: positive(10_000).default(32),
    /** How often a replica looks for tasks admitted elsewhere and for cancels of its own. */
    ORCH_DISPATCH_POLL_MS: positive(60_000).default(50),
    /** A running task whose replica stopped beating (every 1 s) this long is taken over. */
    ORCH_TASK_STALE_S: positive(3600).default(5),
    /** A /v1 session lives this long after its last turn (llama-orch: 10 min). */
    ORCH_SESSION_TTL_S: positive(86_400 * 30).default(600),
    /** Turns a session may take (0 = no limit); past it, INVALID_PARAMS until it expires. */
    ORCH_SESSION_MAX_TURNS: nonNegative(1_000_000).default(0),
    /** Tokens a session may stream (0 = no limit), checked before enqueue. */
    ORCH_SESSION_TOKEN_BUDGET: nonNegative(1e12).default(0),
    // POST /_pact/provider-states (tasks/provider-states.ts): tests only, refused in production.
    ORCH_TEST_HOOKS: z.enum(['0', '1']).default('0'),
  })
  .superRefine(refuseEmbeddedInProduction)
  .superRefine((cfg, ctx) => {
    if (cfg.ORCH_PORT_MIN > cfg.ORCH_PORT_MAX) {
      ctx.addIssue({ code: 'custom', path: ['ORCH_PORT_MIN'], message: 'must be ≤ ORCH_PORT_MAX' });
    }
    if (cfg.NODE_ENV === 'production' && cfg.ORCH_TEST_HOOKS === '1') {
      ctx.addIssue({
        code: 'custom',
        path: ['ORCH_TEST_HOOKS'],
        message: 'test hooks (provider states) are refused when NODE_ENV=production',
      });
    }
    if (cfg.NODE_ENV === 'production') {
      for (const name of ['ORCH_ADMIN_KEY', 'ORCH_MASTER_KEY'] as const) {
        if (cfg[name] === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: 'required when NODE_ENV=production',
          });
        }
      }
    }
    const driver = cfg.ORCH_DRIVER ?? (cfg.DOCKER_HOST === undefined ? 'process' : 'docker');
    if (driver === 'docker') {
      if (cfg.DOCKER_HOST === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['DOCKER_HOST'],
          message: 'required by ORCH_DRIVER=docker',
        });
      }
      if (cfg.ORCH_ENGINE_IMAGE === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['ORCH_ENGINE_IMAGE'],
          message: 'required by the docker driver (build one: scripts/build-image.sh engine)',
        });
      } else if (!cfg.ORCH_ALLOW_TAGS && !PINNED.test(cfg.ORCH_ENGINE_IMAGE)) {
        ctx.addIssue({
          code: 'custom',
          path: ['ORCH_ENGINE_IMAGE'],
          message:
            'must be pinned by digest (…@sha256:<64 hex>); set ORCH_ALLOW_TAGS=true to allow tags',
        });
      }
    }
  });
export type Config = z.output<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  return parseConfig(ConfigSchema, env);
}

export function driverKind(config: Config): 'process' | 'docker' {
  return config.ORCH_DRIVER ?? (config.DOCKER_HOST === undefined ? 'process' : 'docker');
}

/** Whether an image reference is acceptable under the config (digest-pinned unless tags are allowed). */
export function imageAllowed(config: Pick<Config, 'ORCH_ALLOW_TAGS'>, image: string): boolean {
  return config.ORCH_ALLOW_TAGS || PINNED.test(image);
}

export function describeOrchestratorBackends(config: Config): Record<string, string> {
  return { containers: driverKind(config) };
}
