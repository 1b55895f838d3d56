import {
  BoolEnv,
  backendConfig,
  baseServiceConfig,
  IntEnv,
  parseConfig,
  refuseEmbeddedInProduction,
} from '@agentplane/http-kit';
import { z } from 'zod';

const int = (min: number, max: number) => IntEnv.pipe(z.number().int().min(min).max(max));
const list = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== ''),
);

/** `name:key` pairs (or bare keys, named key1, key2…), comma-separated. */
const ApiKeysEnv = list.pipe(
  z
    .array(z.string())
    .min(1)
    .transform((items) =>
      items.map((item, i) => {
        const at = item.indexOf(':');
        return at > 0
          ? { name: item.slice(0, at), key: item.slice(at + 1) }
          : { name: `key${i + 1}`, key: item };
      }),
    )
    .pipe(
      z.array(
        z.object({
          name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'key names are letters, digits, _ . -'),
          key: z.string().min(16, 'each key has at least 16 characters'),
        }),
      ),
    ),
);

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export const ConfigSchema = z
  .object({
    ...baseServiceConfig({ defaultPort: 3000 }),
    ...backendConfig,
    /** Where the embedded database, agents' files and worker logs live; default .data/agent-manager. */
    AM_DATA_DIR: z.string().min(1).default('.data/agent-manager'),
    /** API keys (`name:key,…`); unset = keyless, allowed only when HOST is loopback. */
    AM_API_KEYS: ApiKeysEnv.optional(),
    /** Admin key of /internal/* (at least 16 characters); unset = keyless on loopback only. */
    AM_ADMIN_KEY: z.string().min(16, 'at least 16 characters').optional(),
    /** Worker processes started with the service; default 2 (0 = none: run workers elsewhere). */
    AM_WORKERS: int(0, 64).default(2),
    /**
     * Nice value of worker processes (0-19); default 10: under load the scheduler serves the
     * API process first, so requests stay fast while workers run (on a busy box, runs slow down).
     */
    AM_WORKER_NICE: int(0, 19).default(10),
    /** Runs one worker executes at once; default 8. */
    AM_WORKER_CONCURRENCY: int(1, 256).default(8),
    /** Claims of one run (workers that died holding it) before the agent fails; default 3. */
    AM_RUN_MAX_ATTEMPTS: int(1, 100).default(3),
    /** How long a finished run's events stay replayable, in seconds; default 3600. */
    AM_EVENTS_RETENTION_S: int(1, 30 * 86_400).default(3600),
    /** Prefix of agent-manager's Redis keys and channels; default am (tests isolate with it). */
    AM_REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_:.-]{1,64}$/)
      .default('am'),
    /** Redis key prefix of the bus's topic streams, shared by every service (orchestratord's ORCH_BUS_PREFIX); default bus. */
    AM_BUS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_:.-]{1,64}$/)
      .default('bus'),
    /** Entries kept per bus topic stream (MAXLEN ~); default 100000. */
    AM_BUS_MAXLEN: int(100, 10_000_000).default(100_000),
    /** Largest `resources.cpu` a worker accepts, in cores; default 4. */
    AM_WORKER_MAX_CPU: z.coerce.number().positive().max(1024).default(4),
    /** Largest `resources.ram` a worker accepts, in MB; default 4096. */
    AM_WORKER_MAX_RAM_MB: int(64, 1_048_576).default(4096),
    /** Root of the agents' file tools (one folder per agent); default <AM_DATA_DIR>/files. */
    AM_FILES_ROOT: z.string().min(1).optional(),
    /** Hosts http.fetch may reach (comma-separated; `*.example.com` allowed); default none. */
    AM_HTTP_ALLOW_HOSTS: list.default([]),
    /** Let http.fetch reach private and loopback addresses (tests, local services); default false. */
    AM_HTTP_ALLOW_PRIVATE: z
      .enum(['true', 'false', '1', '0'])
      .transform((v) => v === 'true' || v === '1')
      .default(false),
    /** The database db.query reads (read-only); default the service's own database. */
    AM_TOOL_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    /** processor.run targets: JSON `{"<processor id>": "http://host:port", …}`; default none. */
    AM_PROCESSOR_URLS: z
      .string()
      .transform((text, ctx) => {
        try {
          return z.record(z.string(), z.url()).parse(JSON.parse(text));
        } catch {
          ctx.addIssue({ code: 'custom', message: 'a JSON object of processor id → URL' });
          return z.NEVER;
        }
      })
      .default({}),
    /** A catalog (the engine's layout) whose agents/ a create may name in `agent`; default none. */
    AM_CATALOG_DIR: z.string().min(1).optional(),
    /** Model of agents that name none; default the selected LLM's default (`mock` keyless). */
    AM_MODEL: z.string().min(1).optional(),
    /**
     * Where RAG chunks and memory live: `sqlite` (one file under AM_DATA_DIR), `pgvector`
     * (AM_RAG_DATABASE_URL or DATABASE_URL, pgvector ≥ 0.8), or `auto` (default): pgvector when the
     * database has it, else sqlite (logged).
     */
    AM_RAG_STORE: z.enum(['auto', 'sqlite', 'pgvector']).default('auto'),
    /** The Postgres of the pgvector store; default DATABASE_URL. */
    AM_RAG_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    /** Root that file:// ingest sources must be under; default <AM_DATA_DIR>/documents. */
    AM_RAG_FILE_ROOT: z.string().min(1).optional(),
    /** Largest source an ingest loads, in bytes; default 50 MiB. */
    AM_RAG_MAX_SOURCE_BYTES: int(1024, 1024 ** 3).default(50 * 1024 * 1024),
    /**
     * The processor ingest hands PDFs and unknown binary to (a key of AM_PROCESSOR_URLS, e.g.
     * `doc/extract@1`); default the one `doc/extract@N` AM_PROCESSOR_URLS holds, else none
     * (PDFs are read in process).
     */
    AM_RAG_EXTRACT_PROCESSOR: z.string().min(1).optional(),
    /**
     * The extract processor's write_prefix root, read back by the workers: the same directory at
     * the same path on both sides (a shared volume); default <AM_DATA_DIR>/extract.
     */
    AM_RAG_EXTRACT_DIR: z.string().min(1).optional(),
    /**
     * At most this many rows (4 × for a filtered query) are searched exactly (recall 1), more
     * through the ANN index; default 5000.
     */
    AM_RAG_EXACT_MAX: int(0, 10_000_000).default(5000),
    /**
     * The embedded store's ANN index waits while an ingest streams in, until this many rows are
     * unindexed (queries search them exactly meanwhile); default 50000, 0 = never waits.
     */
    AM_RAG_INDEX_DEFER_ROWS: int(0, 10_000_000).default(50_000),
    /** Share of queries re-run exactly in the background to measure recall@10; default 0.02. */
    AM_RAG_RECALL_SAMPLE_RATE: z.coerce.number().min(0).max(1).default(0.02),
    /** Frequent queries kept (LRU; emptied by any ingest or write); default 1000, 0 = off. */
    AM_RAG_QUERY_CACHE: int(0, 1_000_000).default(1000),
    /** Embedding model (OpenAI-compatible, needs OPENAI_API_KEY); default the local embedder. */
    AM_EMBED_MODEL: z.string().min(1).optional(),
    /** Embedding dimensions; default 384 (local) or the model's. */
    AM_EMBED_DIM: int(8, 8192).optional(),
    /**
     * Let the API's start re-embed the RAG store when the embedder (AM_EMBED_MODEL, AM_EMBED_DIM)
     * differs from the one that filled it; default false, and such a start is refused. The new
     * store is built beside the old one and replaces it once complete, so a failure leaves the
     * old one in use; with the embedder unchanged it does nothing (unset it after the re-index).
     */
    AM_RAG_REINDEX: BoolEnv.default(false),
    /** Session-scope memory lives this long, in seconds; default 86400. */
    AM_SESSION_TTL_S: int(1, 365 * 86_400).default(86_400),
  })
  .superRefine(refuseEmbeddedInProduction)
  .superRefine((cfg, ctx) => {
    const extractor = cfg.AM_RAG_EXTRACT_PROCESSOR;
    if (extractor !== undefined && cfg.AM_PROCESSOR_URLS[extractor] === undefined) {
      const known = Object.keys(cfg.AM_PROCESSOR_URLS).join(', ') || 'none';
      ctx.addIssue({
        code: 'custom',
        path: ['AM_RAG_EXTRACT_PROCESSOR'],
        message: `must be a processor of AM_PROCESSOR_URLS (configured: ${known})`,
      });
    }
  })
  .superRefine((cfg, ctx) => {
    if (cfg.AM_API_KEYS === undefined && !LOOPBACK.has(cfg.HOST)) {
      ctx.addIssue({
        code: 'custom',
        path: ['AM_API_KEYS'],
        message: `required when HOST (${cfg.HOST}) is not a loopback address`,
      });
    }
    if (cfg.NODE_ENV === 'production') {
      for (const name of ['AM_API_KEYS', 'AM_ADMIN_KEY'] as const) {
        if (cfg[name] === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: 'required when NODE_ENV=production',
          });
        }
      }
    }
  });
export type Config = z.output<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  return parseConfig(ConfigSchema, env);
}
