import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTmpDir, spawnService, type TmpDir } from '@agentplane/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashEngineKey } from './auth/engine-key.js';
import { createConversationStore } from './brain/conversation-store.js';
import { openBrain } from './brain/open-brain.js';
import { collect, engineClient, sampleCatalog, TEST_KEY, textOf } from './test-engine.js';

const entry = fileURLToPath(new URL('./main.ts', import.meta.url));
let tmp: TmpDir;

beforeAll(async () => {
  tmp = await createTmpDir('engine-sigterm-');
});
afterAll(async () => {
  await tmp?.remove();
});

describe('engine process: SIGTERM during a stream', () => {
  it('ends the stream with a terminal event, exits 0, and keeps the turn in the brain', async () => {
    const dbPath = join(tmp.path, 'brain.sqlite');
    const engine = await spawnService({
      entry,
      env: {
        SQLITE_DB_PATH: dbPath,
        CATALOG_DIR: sampleCatalog,
        GATEWAY_CONFIG_PATH: join(tmp.path, 'gateway.yaml'),
        ENGINE_KEY_HASH: hashEngineKey(TEST_KEY),
        SHUTDOWN_GRACE_MS: '5000',
        // Keyless: whatever the test machine has, the engine uses the built-in mock model.
        LLM_BASE_URL: '',
        LLM_API_KEY: '',
        OPENAI_API_KEY: '',
        ANTHROPIC_API_KEY: '',
        GEMINI_API_KEY: '',
      },
    });
    let exit: Promise<number | null> | undefined;
    try {
      const res = await engineClient(engine.baseUrl).execute({
        body: { message: 'tell me a long story about ships #mock-slow', task_id: 'sigterm' },
      });
      if (res.status !== 200) {
        throw new Error(`execute ${res.status}`);
      }
      const head = await collect(res.events, (e) => e.event === 'text_delta');
      const started = Date.now();
      exit = engine.stop('SIGTERM');
      const tail = await collect(res.events);
      expect(tail.at(-1)).toMatchObject({ event: 'thread.cancelled', reason: 'shutdown' });
      expect(await exit).toBe(0);
      expect(Date.now() - started).toBeLessThan(5000);

      const events = [...head, ...tail];
      const brain = openBrain(dbPath);
      try {
        const stored = createConversationStore(brain.db).listMessages('sigterm');
        expect(stored.map((m) => [m.role, m.status])).toEqual([
          ['user', 'complete'],
          ['assistant', 'interrupted'],
        ]);
        expect(stored[1]?.content).toBe(textOf(events));
      } finally {
        brain.close();
      }
    } finally {
      if (exit === undefined) {
        await engine.stop('SIGKILL');
      }
    }
  });
});
