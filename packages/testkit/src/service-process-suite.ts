import { describe, expect, it } from 'vitest';
import { runToExit, spawnService } from './spawn-service.js';

export interface ServiceProcessSuiteOptions {
  service: string;
  /** Absolute path of the service's main.ts. */
  entry: string;
  /** The document GET /openapi.json must serve. */
  openapi: () => object;
  env?: Record<string, string | undefined>;
  /** How long the service may take to listen; default 20 s (PGlite's first start is slower). */
  startTimeoutMs?: number;
}

/**
 * The tests every platform service's real process must pass: it starts on port 0 with embedded
 * defaults, serves /health, /openapi.json and /metrics through the kit, exits 0 on SIGTERM, and
 * refuses the embedded defaults in production, naming the variable.
 */
export function serviceProcessSuite(opts: ServiceProcessSuiteOptions): void {
  // The real-backend variables are cleared: this suite proves the zero-config start.
  const env = {
    DATABASE_URL: undefined,
    REDIS_URL: undefined,
    DOCKER_HOST: undefined,
    ...opts.env,
  };

  describe(`${opts.service} process`, () => {
    it('starts with embedded defaults, serves health, openapi and metrics, exits 0 on SIGTERM', async () => {
      const svc = await spawnService({
        entry: opts.entry,
        env,
        ...(opts.startTimeoutMs === undefined ? {} : { timeoutMs: opts.startTimeoutMs }),
      });
      try {
        const health = await fetch(`${svc.baseUrl}/health`);
        expect(health.status).toBe(200);
        expect(health.headers.get('x-correlation-id')).toBeTruthy();
        expect(await health.json()).toMatchObject({ status: 'ok', service: opts.service });

        const doc = await fetch(`${svc.baseUrl}/openapi.json`).then((r) => r.json());
        expect(doc).toEqual(JSON.parse(JSON.stringify(opts.openapi())));

        const metrics = await fetch(`${svc.baseUrl}/metrics`).then((r) => r.text());
        expect(metrics).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/health"/);
      } finally {
        expect(await svc.stop('SIGTERM')).toBe(0);
      }
    });

    it('refuses NODE_ENV=production without DATABASE_URL, naming the variable', async () => {
      const { code, stderr } = await runToExit({
        entry: opts.entry,
        env: { ...env, NODE_ENV: 'production' },
      });
      expect(code).toBe(1);
      expect(stderr).toContain('DATABASE_URL');
    });
  });
}
