import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { createClient, engineRoutes } from '@agentplane/contracts';
import { createTmpDir, NO_LLM_KEYS, type SpawnedService, spawnService } from '@agentplane/testkit';
import { describe, expect, it } from 'vitest';
import { buildEngineBundle } from './drivers/driver-test-support.js';
import { isRecordAlive, type ProcessRecord, readRecord } from './drivers/process-record.js';
import { cleanupAfterAll, orchestratorClient, TEST_ADMIN_KEY } from './test-orchestrator.js';

// Ctrl-C on the zero-config orchestratord (the real main.ts: PGlite, the process driver, the
// engine bundle): no engine process outlives it, and the next start's admit brings the user's
// engine back with its brain.

const entry = new URL('./main.ts', import.meta.url).pathname;
const cleanup = cleanupAfterAll();

/** The engine's process record as the driver wrote it at spawn. */
async function recordOf(dataDir: string, engineId: string): Promise<ProcessRecord> {
  const record = await readRecord(join(dataDir, 'engines', engineId));
  if (record === undefined) {
    throw new Error(`no process record for ${engineId}`);
  }
  return record;
}

// Liveness is the driver's own check (isRecordAlive): an exited engine nobody reaped yet (a
// zombie handed to init when orchestratord exits first) is dead; `kill(pid, 0)` would find it.

/** The ids of a conversation's messages, read from the brain file itself. */
function messageIds(dataDir: string, engineId: string, conversation: string): string[] {
  const brain = new DatabaseSync(join(dataDir, 'engines', engineId, 'brain.sqlite'), {
    readOnly: true,
  });
  try {
    return brain
      .prepare('SELECT id FROM messages WHERE conversation_id = ? ORDER BY seq')
      .all(conversation)
      .map((row) => String(row.id));
  } finally {
    brain.close();
  }
}

async function executeOnce(url: string, key: string, taskId: string, conversation: string) {
  const engine = createClient(engineRoutes, {
    baseUrl: url,
    headers: () => ({ 'x-engine-key': key }),
  });
  const run = await engine.execute({
    body: { task_id: taskId, conversation_id: conversation, message: 'hello' },
  });
  expect(run.status).toBe(200);
  const names: string[] = [];
  if (run.status === 200) {
    for await (const event of run.events) {
      names.push(event.event);
    }
  }
  expect(names.at(-1)).toBe('thread.completed');
}

describe('zero-config orchestratord stopped with Ctrl-C', () => {
  it('leaves no engine process; the next start wakes the engine on admit, brain kept', async () => {
    const tmp = await createTmpDir('orch-ctrl-c-');
    cleanup(() => tmp.remove());
    const env = {
      ...NO_LLM_KEYS,
      DATABASE_URL: undefined,
      REDIS_URL: undefined,
      DOCKER_HOST: undefined,
      NODE_ENV: 'test',
      ORCH_DRIVER: 'process',
      ORCH_ENGINE_COMMAND: JSON.stringify([process.execPath, await buildEngineBundle()]),
      ORCH_ADMIN_KEY: TEST_ADMIN_KEY,
      ORCH_MASTER_KEY: randomBytes(32).toString('hex'),
      ORCH_DATA_DIR: tmp.path,
      ORCH_IDLE_S: '0',
      ORCH_PORT_MIN: '21900',
      ORCH_PORT_MAX: '21949',
    };
    // A fresh PGlite runs initdb first: ~15 s on a busy 2-core machine.
    let svc: SpawnedService = await spawnService({ entry, env, timeoutMs: 90_000 });
    cleanup(async () => {
      await svc.stop('SIGINT');
    });
    const registered = await orchestratorClient(svc.baseUrl, {
      'x-admin-key': TEST_ADMIN_KEY,
    }).registerProduct({ body: { slug: 'ctrl-c', display_name: 'Ctrl-C' } });
    if (registered.status !== 201) {
      throw new Error(`register: ${registered.status}`);
    }
    const platform = { 'x-platform-key': registered.body.platform_key };
    const provisioned = await orchestratorClient(svc.baseUrl, platform).provisionEngine({
      body: { user_id: 'alice' },
    });
    if (provisioned.status !== 201) {
      throw new Error(`provision: ${provisioned.status}`);
    }
    const engine = provisioned.body;
    await executeOnce(engine.url, engine.engine_key, 'turn-1', 'chat');
    const first = await recordOf(tmp.path, engine.engine_id);
    expect(await isRecordAlive(first)).toBe(true);

    // What turbo does on Ctrl-C: SIGINT to the service (the engine has a process group of its
    // own, so the terminal's signal never reaches it).
    expect(await svc.stop('SIGINT')).toBe(0);
    expect(await isRecordAlive(first)).toBe(false);
    const before = messageIds(tmp.path, engine.engine_id, 'chat');
    expect(before.length).toBeGreaterThan(0);

    svc = await spawnService({ entry, env, timeoutMs: 90_000 });
    const api = orchestratorClient(svc.baseUrl, platform);
    // Asleep, not failed: nothing runs until someone admits.
    expect((await api.getEngine({ params: { user_id: 'alice' } })).body).toMatchObject({
      status: 'sleeping',
    });
    const admitted = await api.admitEngine({ params: { user_id: 'alice' }, body: {} });
    expect(admitted.body).toMatchObject({
      admitted: true,
      woke: true,
      engine_id: engine.engine_id,
    });
    const second = await recordOf(tmp.path, engine.engine_id);
    expect(second.pid).not.toBe(first.pid);
    expect(await isRecordAlive(second)).toBe(true);
    const { url, engine_key } = admitted.body as { url: string; engine_key: string };
    await executeOnce(url, engine_key, 'turn-2', 'chat');

    expect(await svc.stop('SIGINT')).toBe(0);
    expect(await isRecordAlive(second)).toBe(false);
    // The conversation continued in the same brain: turn 1's messages are still there.
    const after = messageIds(tmp.path, engine.engine_id, 'chat');
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.length).toBeGreaterThan(before.length);
  }, 240_000);
});
