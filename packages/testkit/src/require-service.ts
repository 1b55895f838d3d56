import { describe } from 'vitest';

/** The external services a test can need, keyed by the variable that points at each. */
export const SERVICE_VARIABLES = {
  postgres: 'DATABASE_URL',
  redis: 'REDIS_URL',
  docker: 'DOCKER_HOST',
} as const;

export type ServiceName = keyof typeof SERVICE_VARIABLES;

const HINTS: Record<ServiceName, string> = {
  postgres: 'set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test to run',
  redis: 'set REDIS_URL=redis://127.0.0.1:6379 to run',
  docker: 'set DOCKER_HOST=unix:///run/podman/podman.sock to run',
};

/**
 * What a worker- or file-scoped fixture found out about a service. Those scopes have no test
 * context to skip with, so they return this and the test-scoped fixture decides via
 * {@link requireService}.
 */
export type ServiceProbe<T> =
  | { readonly available: true; readonly value: T }
  | { readonly available: false; readonly service: ServiceName; readonly reason: string };

export function serviceAvailable<T>(value: T): ServiceProbe<T> {
  return { available: true, value };
}

export function serviceUnavailable<T = never>(
  service: ServiceName,
  reason: string,
): ServiceProbe<T> {
  return { available: false, service, reason };
}

/** Thrown instead of skipping when CI=true: CI must exercise every real service. */
export class ServiceUnavailableError extends Error {
  override readonly name = 'ServiceUnavailableError';
  constructor(
    readonly service: ServiceName,
    readonly reason: string,
  ) {
    super(
      `${SERVICE_VARIABLES[service]} (${service}) is required under CI=true: ${reason}. ` +
        `Tests are never skipped in CI; ${HINTS[service]}.`,
    );
  }
}

export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI === 'true';
}

/** The reason a missing variable is reported with, e.g. "DOCKER_HOST not set". */
export function notSetReason(service: ServiceName): string {
  return `${SERVICE_VARIABLES[service]} not set`;
}

/** "skipped: DOCKER_HOST not set — set DOCKER_HOST=unix:///run/podman/podman.sock to run" */
export function skipMessage(service: ServiceName, reason: string): string {
  return `skipped: ${reason} — ${HINTS[service]}`;
}

// One line per distinct reason per worker: a file with twenty redis tests should not print
// twenty identical lines, but every distinct cause must be visible.
const printed = new Set<string>();

function printSkip(message: string): void {
  if (!printed.has(message)) {
    printed.add(message);
    process.stderr.write(`[testkit] ${message}\n`);
  }
}

/** The part of vitest's test context this module needs. */
export interface SkippableContext {
  skip(note?: string): never;
}

/**
 * Unwraps a probe for one test: the value when the service is there; otherwise a thrown
 * {@link ServiceUnavailableError} under CI=true, or a skip with the reason printed to stderr.
 *
 * ```ts
 * const client = requireService(probe, ctx); // inside a test-scoped fixture
 * ```
 */
export function requireService<T>(
  probe: ServiceProbe<T>,
  ctx: SkippableContext,
  env: NodeJS.ProcessEnv = process.env,
): T {
  if (probe.available) {
    return probe.value;
  }
  if (isCi(env)) {
    throw new ServiceUnavailableError(probe.service, probe.reason);
  }
  const message = skipMessage(probe.service, probe.reason);
  printSkip(message);
  return ctx.skip(message);
}

/**
 * A describe block that needs a service's variable to be set. Reachability is the fixtures'
 * job; this only decides at collection time, so a missing variable skips the whole block
 * (reason printed) or, under CI=true, fails the file.
 */
export function describeWithService(
  service: ServiceName,
  name: string,
  fn: () => void,
  env: NodeJS.ProcessEnv = process.env,
): void {
  const variable = SERVICE_VARIABLES[service];
  if (env[variable]) {
    describe(name, fn);
    return;
  }
  if (isCi(env)) {
    throw new ServiceUnavailableError(service, notSetReason(service));
  }
  const message = skipMessage(service, notSetReason(service));
  printSkip(message);
  describe(`${name} (${message})`, { skip: true }, fn);
}
