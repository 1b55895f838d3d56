import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TaskEvent } from '@agentplane/contracts';
import {
  probeDocker,
  requireService,
  type SkippableContext,
  type SpawnedService,
  spawnService,
} from '@agentplane/testkit';
import { describe, expect, it } from 'vitest';
import { buildEngineBundle, buildEngineImage } from './drivers/driver-test-support.js';
import {
  dataClient,
  readStream,
  SLOW_PROMPT,
  startDataFleet,
  taskBody,
  textOf,
} from './tasks/test-data-plane.js';
import {
  cleanupAfterAll,
  orchestratorClient,
  postgresAndDir,
  TEST_ADMIN_KEY,
} from './test-orchestrator.js';

// Issue 15: orchestratord SIGKILLed with tasks queued and running; after a restart every task
// is finished (the running one resumed from its engine's replay), none silently lost. And the
// user's engine SIGKILLed mid-turn: the task fails with a reason, never hangs.

const cleanup = cleanupAfterAll();
const entry = new URL('./main.ts', import.meta.url).pathname;

/** What the replica runs engines with: the engine bundle as processes, or its image (Podman). */
async function driverEnv(driver: 'process' | 'docker', ctx: SkippableContext) {
  if (driver === 'process') {
    return {
      ORCH_DRIVER: 'process',
      ORCH_ENGINE_COMMAND: JSON.stringify([process.execPath, await buildEngineBundle()]),
    };
  }
  requireService(await probeDocker(process.env.DOCKER_HOST), ctx);
  return {
    ORCH_DRIVER: 'docker',
    DOCKER_HOST: process.env.DOCKER_HOST ?? '',
    ORCH_ENGINE_IMAGE: await buildEngineImage(),
  };
}

const crashDrivers = [
  { driver: 'process', ports: ['24800', '24849'] },
  { driver: 'docker', ports: ['25440', '25459'] },
] as const;

describe.each(crashDrivers)(
  '/v1 tasks survive a SIGKILLed orchestratord ($driver driver)',
  ({ driver, ports }) => {
    it('resumes the running task and runs the queued ones after a restart', async (ctx) => {
      const { db, dir } = await postgresAndDir(ctx, cleanup, 'orch-v1-crash-');
      const engines = await driverEnv(driver, ctx);
      const env = {
        DATABASE_URL: db.url ?? '',
        REDIS_URL: undefined,
        NODE_ENV: 'test',
        ORCH_ADMIN_KEY: TEST_ADMIN_KEY,
        ORCH_MASTER_KEY: randomBytes(32).toString('hex'),
        ORCH_FLEET_ID: `crash-${randomBytes(4).toString('hex')}`,
        ORCH_DATA_DIR: dir.path,
        ...engines,
        ORCH_PORT_MIN: ports[0],
        ORCH_PORT_MAX: ports[1],
        ORCH_TASK_SLOTS: '1',
        ORCH_TASK_STALE_S: '1',
        ORCH_IDLE_S: '0',
      };
      const start = () => spawnService({ entry, env, timeoutMs: 60_000 });
      let replica: SpawnedService = await start();
      cleanup(async () => {
        await replica.stop('SIGTERM');
      });
      const admin = orchestratorClient(replica.baseUrl, { 'x-admin-key': TEST_ADMIN_KEY });
      const registered = await admin.registerProduct({
        body: { slug: 'crash', display_name: 'Crash', policy: { auto_provision: true } },
      });
      if (registered.status !== 201) {
        throw new Error(`register ${registered.status}`);
      }
      const key = registered.body.platform_key;
      cleanup(async () => {
        await orchestratorClient(replica.baseUrl, { 'x-platform-key': key })
          .destroyEngine({ params: { user_id: 'u1' } })
          .catch(() => undefined);
      });

      let api = dataClient(replica.baseUrl, key);
      const running = taskBody({ user_id: 'u1', prompt: SLOW_PROMPT });
      const queued = [taskBody({ user_id: 'u1' }), taskBody({ user_id: 'u1', priority: 'batch' })];
      for (const t of [running, ...queued]) {
        expect((await api.createTask({ body: t })).status).toBe(202);
      }
      // Two tokens relayed, then the replica dies mid-turn.
      const stream = await api.streamTask({ params: { id: running.task_id } });
      if (stream.status !== 200) {
        throw new Error('stream');
      }
      for await (const ev of stream.events) {
        if (ev.event === 'token' && ev.i === 1) {
          break;
        }
      }
      replica.child.kill('SIGKILL');
      await replica.stop().catch(() => undefined);

      replica = await start();
      api = dataClient(replica.baseUrl, key);
      const resumed = (await readStream(api, running.task_id)).events;
      const tokens = resumed.filter((e) => e.event === 'token');
      expect(tokens.map((e) => (e.event === 'token' ? e.i : -1))).toEqual(tokens.map((_, i) => i));
      expect(resumed.at(-1)).toMatchObject({ event: 'end', stop_reason: 'end_turn' });
      // The whole reply, once: the tokens before the kill and the rest from the engine's replay.
      expect(textOf(resumed)).toBe(`Mock reply to: ${SLOW_PROMPT}`);
      for (const t of queued) {
        const events = (await readStream(api, t.task_id)).events;
        expect(events.at(-1)).toMatchObject({ event: 'end', stop_reason: 'end_turn' });
      }
    }, 120_000);
  },
);

describe("/v1 tasks when the user's engine dies", () => {
  it('an engine SIGKILLed mid-turn: the task ends with a retriable WORKER_RESET; the next runs', async (ctx) => {
    const { orch, product, api } = await startDataFleet(ctx, cleanup, [25260, 25279]);
    const task = taskBody({ user_id: 'reset', prompt: SLOW_PROMPT });
    expect((await api.createTask({ body: task })).status).toBe(202);
    const res = await api.streamTask({ params: { id: task.task_id } });
    if (res.status !== 200) {
      throw new Error(`stream ${res.status}`);
    }
    const events: TaskEvent[] = [];
    for await (const event of res.events) {
      events.push(event);
      if (event.event === 'token' && event.i === 2) {
        const engine = await product.api.getEngine({ params: { user_id: 'reset' } });
        const engineId = engine.status === 200 ? engine.body.engine_id : '';
        const record = JSON.parse(
          await readFile(join(orch.dataDir, 'engines', engineId, 'process.json'), 'utf8'),
        ) as { pid: number };
        process.kill(record.pid, 'SIGKILL');
      }
    }
    expect(events.at(-1)).toMatchObject({ event: 'error', code: 'WORKER_RESET', retriable: true });
    expect(events.filter((e) => e.event === 'end' || e.event === 'error')).toHaveLength(1);

    // The user's engine comes back (restarted, or woken by the next task's admission).
    const next = taskBody({ user_id: 'reset', session_id: task.session_id, prompt: 'Again' });
    expect((await api.createTask({ body: next })).status).toBe(202);
    const after = (await readStream(api, next.task_id)).events;
    expect(after.at(-1), JSON.stringify(after)).toMatchObject({ event: 'end' });
  });
});
