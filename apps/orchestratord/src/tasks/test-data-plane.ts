import { createClient, orchestratordDataRoutes, type TaskEvent } from '@agentplane/contracts';
import type { SkippableContext } from '@agentplane/testkit';
import { buildEngineBundle } from '../drivers/driver-test-support.js';
import {
  type cleanupAfterAll,
  destroyAll,
  postgresAndDir,
  registerProduct,
  startDockerFleet,
  startTestOrchestrator,
  type TestOrchestrator,
} from '../test-orchestrator.js';

// Shared set-up of the /v1 data plane tests.

export type DataClient = ReturnType<typeof dataClient>;

export function dataClient(baseUrl: string, platformKey: string) {
  return createClient(orchestratordDataRoutes, {
    baseUrl,
    headers: () => ({ 'x-platform-key': platformKey }),
  });
}

/** The drivers the data plane's tests run on, each with its own port ranges. */
export type DataDriver = 'process' | 'docker';

/**
 * A fleet on real Postgres with a product (auto_provision) and the generated data-plane client:
 * the process driver running the engine bundle, or the docker driver (Podman) running the
 * engine image (skipped, or failed under CI, without DOCKER_HOST).
 */
export async function startDataFleet(
  ctx: SkippableContext,
  cleanup: ReturnType<typeof cleanupAfterAll>,
  ports: readonly [number, number],
  env: Record<string, string> = {},
  driver: DataDriver = 'process',
) {
  if (driver === 'docker') {
    const orch = await startDockerFleet(ctx, { ports, env });
    cleanup(() => orch.close());
    const product = await registerProduct(orch, 'v1-tasks', { auto_provision: true });
    return { orch, product, api: dataClient(orch.baseUrl, product.platformKey) };
  }
  const { db, dir } = await postgresAndDir(ctx, cleanup, 'orch-v1-');
  const orch: TestOrchestrator = await startTestOrchestrator({
    db: db.db,
    dbKind: 'postgres',
    env: {
      ORCH_DATA_DIR: dir.path,
      ORCH_DRIVER: 'process',
      ORCH_ENGINE_COMMAND: JSON.stringify([process.execPath, await buildEngineBundle()]),
      ORCH_PORT_MIN: String(ports[0]),
      ORCH_PORT_MAX: String(ports[1]),
      ...env,
    },
  });
  cleanup(async () => {
    await destroyAll(orch.orchestrator);
    await orch.close();
  });
  const product = await registerProduct(orch, 'v1-tasks', { auto_provision: true });
  return { orch, product, api: dataClient(orch.baseUrl, product.platformKey) };
}

/** A TaskRequest with llama-orch's example values; `over` replaces fields. */
export function taskBody(over: Record<string, unknown> = {}) {
  return {
    task_id: crypto.randomUUID(),
    session_id: crypto.randomUUID(),
    workload: 'completion' as const,
    model_ref: 'default',
    engine: 'agentplane',
    ctx: 8192,
    priority: 'interactive' as const,
    prompt: 'Hello there',
    max_tokens: 1000,
    deadline_ms: 600_000,
    ...over,
  };
}

/** A prompt the mock model answers slowly: ~40 tokens, 50 ms each. */
export const SLOW_PROMPT = `#mock-slow ${Array.from({ length: 38 }, (_, i) => `w${i}`).join(' ')}`;

/** Every event of a task's stream (from after `after`), with its SSE id. */
export async function readStream(api: DataClient, id: string, after?: string) {
  const res = await api.streamTask({
    params: { id },
    ...(after === undefined ? {} : { headers: { 'last-event-id': after } }),
  });
  if (res.status !== 200) {
    throw new Error(`stream ${id}: ${res.status}`);
  }
  const events: TaskEvent[] = [];
  for await (const ev of res.events) {
    events.push(ev);
  }
  return { events, lastEventId: res.lastEventId() };
}

export const textOf = (events: readonly TaskEvent[]) =>
  events.map((e) => (e.event === 'token' ? e.t : '')).join('');
