import { z } from 'zod';

/**
 * The variables that switch a service from its embedded defaults to the real thing (DESIGN §6).
 * Spread into an app's config schema, then `.superRefine(refuseEmbeddedInProduction)`.
 */
export const backendConfig = {
  /** Postgres; absent → PGlite under .data/ (never in production). */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  /** Redis for the bus, queues and rate limits; absent → in-process implementations. */
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
};

interface BackendEnv {
  NODE_ENV: string;
  DATABASE_URL?: string | undefined;
}

/** The embedded column never reaches production: NODE_ENV=production needs DATABASE_URL. */
export function refuseEmbeddedInProduction(cfg: BackendEnv, ctx: z.RefinementCtx): void {
  if (cfg.NODE_ENV === 'production' && cfg.DATABASE_URL === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['DATABASE_URL'],
      message: 'required when NODE_ENV=production (PGlite is for development only)',
    });
  }
}

/** Which implementation backs each dependency, for /health and the start-up log. */
export function describeBackends(cfg: {
  DATABASE_URL?: string | undefined;
  REDIS_URL?: string | undefined;
}): Record<string, string> {
  return {
    database: cfg.DATABASE_URL === undefined ? 'pglite' : 'postgres',
    bus: cfg.REDIS_URL === undefined ? 'in-process' : 'redis',
  };
}
