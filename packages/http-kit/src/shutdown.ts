import type { Server } from 'node:http';
import type { Logger } from 'pino';

/** A close hook: finish promptly, and faster once `signal` aborts (the grace period ran out). */
export type ShutdownHook = (signal: AbortSignal) => Promise<void>;

export type HookOutcome = 'ok' | 'failed' | 'timed_out';

export interface ShutdownReport {
  reason: string;
  /** False when a hook threw or was cut off. */
  ok: boolean;
  hooks: Array<{ name: string; outcome: HookOutcome; duration_ms: number }>;
}

export interface ShutdownRegistry {
  /** Adds a named close hook; hooks run in reverse registration order (last opened, first closed). */
  register(name: string, close: ShutdownHook): void;
  /**
   * Aborts `shuttingDown`, then runs the hooks in reverse order within `graceMs` in total. A hook
   * still running at the deadline sees its signal abort and gets `hookSlackMs` more before it is
   * abandoned; later hooks then start with an aborted signal and the same slack. Idempotent.
   */
  run(reason: string): Promise<ShutdownReport>;
  /**
   * Aborted when `run` starts: long-lived work (SSE handlers) listens to it to send its terminal
   * event and finish.
   */
  readonly shuttingDown: AbortSignal;
  /** Counts one in-flight unit (a request, a stream); call the returned function when done. */
  track(): () => void;
  /** Requests and streams currently tracked. */
  readonly inFlight: number;
}

export interface CreateShutdownRegistryOptions {
  logger: Logger;
  graceMs: number;
  /** Extra time a hook gets after its signal aborts; default 250 ms. */
  hookSlackMs?: number;
}

const TIMED_OUT = Symbol('timed out');

function sleep(ms: number): { promise: Promise<typeof TIMED_OUT>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), Math.max(0, ms));
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/**
 * The process's close hooks, run once on shutdown. Only `main.ts` triggers it (through
 * `installSignalHandlers`); components just register.
 *
 * @example
 * const shutdown = createShutdownRegistry({ logger, graceMs: config.SHUTDOWN_GRACE_MS });
 * shutdown.register('db', () => db.destroy());
 * shutdown.register('http', closeHttpServer(server));
 * installSignalHandlers(shutdown, { logger });
 */
export function createShutdownRegistry(opts: CreateShutdownRegistryOptions): ShutdownRegistry {
  const log = opts.logger.child({ component: 'shutdown' });
  const slackMs = opts.hookSlackMs ?? 250;
  const hooks: Array<{ name: string; close: ShutdownHook }> = [];
  const stopping = new AbortController();
  let inFlight = 0;
  let running: Promise<ShutdownReport> | undefined;

  const track = () => {
    inFlight++;
    let done = false;
    return () => {
      if (!done) {
        done = true;
        inFlight--;
      }
    };
  };

  async function runHook(
    hook: { name: string; close: ShutdownHook },
    deadline: number,
    graceSignal: AbortSignal,
  ): Promise<ShutdownReport['hooks'][number]> {
    const started = performance.now();
    const controller = new AbortController();
    const forward = () => controller.abort(graceSignal.reason);
    graceSignal.addEventListener('abort', forward, { once: true });
    if (graceSignal.aborted) {
      forward();
    }
    const cutoff = sleep(Math.max(deadline - Date.now(), 0) + slackMs);
    let outcome: HookOutcome = 'ok';
    try {
      const settled = await Promise.race([hook.close(controller.signal), cutoff.promise]);
      if (settled === TIMED_OUT) {
        outcome = 'timed_out';
        log.error({ hook: hook.name }, 'shutdown hook cut off after the grace period');
      }
    } catch (err) {
      outcome = 'failed';
      log.error({ err, hook: hook.name }, 'shutdown hook failed');
    } finally {
      cutoff.cancel();
      graceSignal.removeEventListener('abort', forward);
    }
    const duration_ms = Math.round(performance.now() - started);
    return { name: hook.name, outcome, duration_ms };
  }

  async function runAll(reason: string): Promise<ShutdownReport> {
    log.info({ reason, in_flight: inFlight, grace_ms: opts.graceMs }, 'shutting down');
    stopping.abort(new Error(`shutting down: ${reason}`));
    const deadline = Date.now() + opts.graceMs;
    const grace = new AbortController();
    const graceTimer = setTimeout(() => grace.abort(new Error('grace period over')), opts.graceMs);
    const results: ShutdownReport['hooks'] = [];
    try {
      for (const hook of [...hooks].reverse()) {
        results.push(await runHook(hook, deadline, grace.signal));
      }
    } finally {
      clearTimeout(graceTimer);
    }
    const ok = results.every((r) => r.outcome === 'ok');
    log.info({ reason, ok, hooks: results }, 'shutdown finished');
    return { reason, ok, hooks: results };
  }

  return {
    register(name, close) {
      hooks.push({ name, close });
    },
    run(reason) {
      running ??= runAll(reason);
      return running;
    },
    shuttingDown: stopping.signal,
    track,
    get inFlight() {
      return inFlight;
    },
  };
}

/**
 * The HTTP server's close hook: stop accepting, close idle keep-alive connections (again every
 * 50 ms, since busy ones turn idle as their responses finish), wait for in-flight requests and
 * streams; when the grace period ends, close every connection.
 */
export function closeHttpServer(server: Server): ShutdownHook {
  return (signal) =>
    new Promise<void>((resolve) => {
      if (!server.listening) {
        server.closeAllConnections();
        resolve();
        return;
      }
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      sweep.unref();
      const onAbort = () => server.closeAllConnections();
      signal.addEventListener('abort', onAbort, { once: true });
      server.close(() => {
        clearInterval(sweep);
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
      server.closeIdleConnections();
      if (signal.aborted) {
        onAbort();
      }
    });
}

export interface InstallSignalHandlersOptions {
  logger?: Logger;
  /** Injectable for tests; default process.exit. */
  exit?: (code: number) => void;
  signals?: readonly NodeJS.Signals[];
}

/**
 * For `main.ts` only: SIGTERM/SIGINT → `registry.run(signal)` → exit 0, or 1 if a hook failed or
 * was cut off. A second signal while stopping is ignored (the grace deadline still holds).
 * Returns a function removing the handlers.
 */
export function installSignalHandlers(
  registry: ShutdownRegistry,
  opts: InstallSignalHandlersOptions = {},
): () => void {
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  const signals = opts.signals ?? ['SIGTERM', 'SIGINT'];
  const onSignal = (signal: NodeJS.Signals) => {
    opts.logger?.info({ signal }, 'signal received');
    registry.run(signal).then(
      (report) => exit(report.ok ? 0 : 1),
      (err: unknown) => {
        opts.logger?.error({ err }, 'shutdown crashed');
        exit(1);
      },
    );
  };
  for (const s of signals) {
    process.on(s, onSignal);
  }
  return () => {
    for (const s of signals) {
      process.off(s, onSignal);
    }
  };
}
