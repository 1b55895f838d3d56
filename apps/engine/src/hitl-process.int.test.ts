import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineEvent } from '@agentplane/contracts';
import { createTmpDir, type SpawnedService, spawnService, type TmpDir } from '@agentplane/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashEngineKey } from './auth/engine-key.js';
import { engineClient, sampleCatalog, TEST_KEY } from './test-engine.js';

// The whole wiring of main.ts: a catalog tool marked needs_approval pauses the run with
// hitl_request; /hitl/pending lists it; /hitl/respond resumes it (approve runs the tool, deny
// gives permission_denied to the model).
const entry = fileURLToPath(new URL('./main.ts', import.meta.url));
let tmp: TmpDir;
let engine: SpawnedService;

beforeAll(async () => {
  tmp = await createTmpDir('engine-hitl-');
  const catalog = join(tmp.path, 'catalog');
  await cp(sampleCatalog, catalog, { recursive: true });
  const toolFile = join(catalog, 'tools', 'memory.write.json');
  const tool = JSON.parse(await readFile(toolFile, 'utf8'));
  await writeFile(toolFile, JSON.stringify({ ...tool, needs_approval: true }));
  engine = await spawnService({
    entry,
    env: {
      SQLITE_DB_PATH: join(tmp.path, 'brain.sqlite'),
      CATALOG_DIR: catalog,
      GATEWAY_CONFIG_PATH: join(tmp.path, 'gateway.yaml'),
      ENGINE_KEY_HASH: hashEngineKey(TEST_KEY),
      LLM_BASE_URL: '',
      OPENAI_API_KEY: '',
      ANTHROPIC_API_KEY: '',
      GEMINI_API_KEY: '',
    },
  });
});
afterAll(async () => {
  await engine?.stop();
  await tmp?.remove();
});

async function runWithDecision(
  taskId: string,
  decision: 'approve' | 'deny',
): Promise<EngineEvent[]> {
  const client = engineClient(engine.baseUrl);
  const res = await client.execute({
    body: {
      task_id: taskId,
      message: 'use memory.write the user prefers tea',
      agent: 'researcher',
    },
  });
  if (res.status !== 200) {
    throw new Error(`execute answered ${res.status}`);
  }
  const events: EngineEvent[] = [];
  for await (const event of res.events) {
    events.push(event);
    if (event.event === 'hitl_request') {
      const pending = await client.listHitlPending({ query: { task_id: taskId } });
      expect(pending.status).toBe(200);
      if (pending.status === 200) {
        expect(pending.body.pending.map((r) => r.request_id)).toEqual([event.request_id]);
      }
      const answer = await client.respondHitl({
        body: { responses: [{ request_id: event.request_id, decision, reason: 'not today' }] },
      });
      expect(answer.status).toBe(200);
    }
  }
  return events;
}

describe('engine process: human in the loop', () => {
  it('approve: the run resumes and the tool runs', async () => {
    const events = await runWithDecision('hitl-approve', 'approve');
    const names = events.map((e) => e.event);
    expect(names.indexOf('hitl_request')).toBeLessThan(names.indexOf('hitl_resolved'));
    expect(events.find((e) => e.event === 'tool_result')).toMatchObject({
      tool: 'memory.write',
      error: null,
    });
    expect(names.at(-1)).toBe('thread.completed');
  });

  it('deny: the model gets permission_denied and the run completes', async () => {
    const events = await runWithDecision('hitl-deny', 'deny');
    const result = events.find((e) => e.event === 'tool_result');
    expect(JSON.stringify(result)).toContain('permission_denied');
    expect(events.at(-1)?.event).toBe('thread.completed');
  });
});
