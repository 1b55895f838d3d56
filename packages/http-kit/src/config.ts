import { z } from 'zod';

/** One bad variable: its name and why it was refused. */
export interface ConfigIssue {
  variable: string;
  message: string;
}

/** Thrown by `parseConfig`; its message lists every bad variable, one per line. */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(
      `Invalid configuration:\n${issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

// Values of these variables never appear in a start-up error: the message ends up in logs.
const SECRET_NAME = /(key|secret|password|token|credential|url)$/i;

function describeValue(variable: string, raw: unknown): string {
  if (raw === undefined) {
    return 'missing';
  }
  if (SECRET_NAME.test(variable)) {
    return '(value hidden)';
  }
  return JSON.stringify(raw);
}

function issueMessage(issue: z.core.$ZodIssue, variable: string, raw: unknown): string {
  if (raw === undefined && issue.code === 'invalid_type') {
    return 'required, but not set';
  }
  const got = describeValue(variable, raw);
  if (issue.code === 'invalid_type') {
    return `expected ${issue.expected}, got ${got}`;
  }
  if (issue.code === 'invalid_value') {
    return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join('|')}, got ${got}`;
  }
  return `${issue.message}, got ${got}`;
}

/**
 * Parses the environment once with `schema`. Call it from `main.ts` (never at module load); tests
 * pass a plain object. Empty variables count as unset.
 *
 * @example
 * const Config = z.object({ ...baseServiceConfig({ defaultPort: 8080 }), DATABASE_URL: z.string().url() });
 * const config = parseConfig(Config, process.env); // throws ConfigError naming every bad variable
 */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  rawEnv: Readonly<Record<string, string | undefined>>,
): z.output<S> {
  // `PORT=` (as compose files often leave it) means "not set", so the default applies.
  const env = Object.fromEntries(Object.entries(rawEnv).filter(([, v]) => v !== ''));
  const result = schema.safeParse(env);
  if (result.success) {
    return result.data;
  }
  const issues = result.error.issues.map((issue) => {
    const variable = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
    const raw = issue.path.length > 0 ? env[String(issue.path[0])] : undefined;
    return { variable, message: issueMessage(issue, variable, raw) };
  });
  throw new ConfigError(issues);
}

// An empty variable (`PORT=`) means "not set": z.coerce would otherwise read it as 0.
const emptyAsUnset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** `"true"|"1"` → true, `"false"|"0"` → false (case-insensitive); anything else is refused. */
export const BoolEnv = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim().toLowerCase() : v),
  z.enum(['true', '1', 'false', '0']).transform((v) => v === 'true' || v === '1'),
);

/** An integer read from an env string. */
export const IntEnv = z.preprocess(emptyAsUnset, z.coerce.number().int());

/** A TCP port, 0–65535 (0 = an ephemeral port, for tests). */
export const PortEnv = z.preprocess(emptyAsUnset, z.coerce.number().int().min(0).max(65535));

/** pino's levels. */
export const LogLevelEnv = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
export type LogLevel = z.infer<typeof LogLevelEnv>;

export const NodeEnv = z.enum(['development', 'test', 'production']);
export type NodeEnv = z.infer<typeof NodeEnv>;

/**
 * The variables every service reads; spread into an app's schema. A function because each app has
 * its own default port (DESIGN §8).
 */
export function baseServiceConfig(opts: { defaultPort: number }) {
  return {
    /** Listening port; default per app (agent-manager 3000, orchestratord 8080, engine 8000). */
    PORT: PortEnv.default(opts.defaultPort),
    /** Bind address; default 127.0.0.1 (images set 0.0.0.0). */
    HOST: z.string().min(1).default('127.0.0.1'),
    /** pino level; default info. */
    LOG_LEVEL: LogLevelEnv.default('info'),
    /** development | test | production; default development. */
    NODE_ENV: NodeEnv.default('development'),
    /** Largest accepted JSON body in bytes; default 1 MiB. */
    BODY_LIMIT_BYTES: IntEnv.pipe(z.number().int().positive()).default(1024 * 1024),
    /** How long shutdown waits for in-flight requests and hooks, in ms; default 10000. */
    SHUTDOWN_GRACE_MS: IntEnv.pipe(z.number().int().nonnegative()).default(10_000),
    /** Serve GET /metrics; default true. */
    METRICS_ENABLED: BoolEnv.default(true),
  };
}

export type BaseServiceConfig = z.output<z.ZodObject<ReturnType<typeof baseServiceConfig>>>;
