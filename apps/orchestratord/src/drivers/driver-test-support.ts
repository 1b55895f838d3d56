import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createLogger } from '@agentplane/http-kit';
import { buildAppBundle, buildAppImage } from '@agentplane/testkit/workspace-builds';
import type { DriverEvent, EngineDriver } from './driver.js';

// Shared by the drivers' integration tests: the real engine (image or bundle), a real key, and
// a recorder of the driver's events.

export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
export const catalogDir = `${repoRoot}catalog`;
export const testLogger = createLogger({ name: 'drivers-test', level: 'error' });

/** The engine image, digest-pinned, as orchestratord's docker driver runs it. */
export const buildEngineImage = () => buildAppImage('engine');
/** The engine bundle, as the process driver runs it. */
export const buildEngineBundle = () => buildAppBundle('engine');

/** A real engine key (what orchestratord generates) and the SHA-256 hex the engine gets. */
export function newEngineKey(): { key: string; hash: string } {
  const key = randomBytes(32).toString('base64url');
  return { key, hash: createHash('sha256').update(key).digest('hex') };
}

/** A port the kernel just handed out on 127.0.0.1 (free at the time of asking). */
export async function ephemeralPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export { waitHealthy } from '@agentplane/testkit/wait-healthy';

/** POST /rpc with an optional X-Engine-Key; the HTTP status. */
export async function rpc(
  baseUrl: string,
  key: string | undefined,
  body: Record<string, unknown> = { subsystem: 'control', op: 'get_config' },
): Promise<number> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key !== undefined) {
    headers['x-engine-key'] = key;
  }
  const res = await fetch(`${baseUrl}/rpc`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

export interface RecordedEvent extends DriverEvent {
  at: number;
}

/** Everything a driver reports while subscribed, with the time it arrived. */
export function recordEvents(driver: EngineDriver) {
  const events: RecordedEvent[] = [];
  const waiters = new Set<() => void>();
  const unsubscribe = driver.subscribe((event) => {
    events.push({ ...event, at: Date.now() });
    for (const wake of waiters) {
      wake();
    }
  });
  return {
    events,
    unsubscribe,
    /** The first event matching `match` that arrived at or after `since` (ms epoch). */
    async waitFor(
      match: (event: DriverEvent) => boolean,
      since: number,
      timeoutMs = 10_000,
    ): Promise<RecordedEvent> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find((e) => e.at >= since && match(e));
        if (found !== undefined) {
          return found;
        }
        const left = deadline - Date.now();
        if (left <= 0) {
          throw new Error(
            `no matching driver event in ${timeoutMs} ms; saw ${JSON.stringify(events)}`,
          );
        }
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(wake, left);
          waiters.add(wake);
        });
      }
    },
  };
}
