import { type SpawnedService, startLiveEngine } from '@agentplane/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineClient } from './engine-client.js';
import { executeWithResume, ResumeError } from './execute-with-resume.js';
import { cuttingFetch } from './testing/cutting-fetch.js';

// executeWithResume against the real engine process, with the connection cut mid-stream.

const ENGINE_TEST_KEY = 'sk-client-tests-0123456789';

let engine: SpawnedService;
let close: () => Promise<void>;

beforeAll(async () => {
  // The real engine process, keyless (the mock model): packages never import apps.
  ({ service: engine, close } = await startLiveEngine({
    key: ENGINE_TEST_KEY,
    tmpPrefix: 'client-engine-',
    timeoutMs: 30_000,
  }));
});
afterAll(async () => {
  await close?.();
});

const slow = (taskId: string) => ({
  body: { message: 'tell me a story about ships #mock-slow', task_id: taskId },
});

describe('executeWithResume', () => {
  it('resumes a dropped stream with Last-Event-ID: every event once, in order, to the end', async () => {
    const cutter = cuttingFetch(2, (url) => new URL(url).pathname === '/execute');
    const client = createEngineClient({
      baseUrl: engine.baseUrl,
      engineKey: ENGINE_TEST_KEY,
      fetch: cutter.fetch,
    });
    const resumes: (string | undefined)[] = [];
    const res = await executeWithResume(client, slow('resume-once'), {
      delayMs: () => 10,
      onResume: ({ lastEventId }) => resumes.push(lastEventId),
    });
    if (res.status !== 200) {
      throw new Error(`execute ${res.status}`);
    }
    const events = [];
    for await (const event of res.events) {
      events.push(event);
    }
    expect(cutter.cuts()).toBe(1);
    expect(resumes).toEqual(['2']);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.at(-1)?.event).toBe('thread.completed');
    expect(new Set(events.map((e) => e.turn_id)).size).toBe(1);
    expect(res.lastEventId()).toBe(String(events.length));
  });

  it('without it, the same cut ends the stream with the transport error', async () => {
    const cutter = cuttingFetch(2);
    const client = createEngineClient({
      baseUrl: engine.baseUrl,
      engineKey: ENGINE_TEST_KEY,
      fetch: cutter.fetch,
    });
    const res = await client.execute(slow('plain-cut'));
    if (res.status !== 200) {
      throw new Error(`execute ${res.status}`);
    }
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const event of res.events) {
          seen.push(event.seq);
        }
      })(),
    ).rejects.toThrow('terminated');
    expect(seen).toEqual([1, 2]);
  });

  it('gives up after maxResumes, throwing the last error, having yielded nothing twice', async () => {
    const cutter = cuttingFetch(1);
    const client = createEngineClient({
      baseUrl: engine.baseUrl,
      engineKey: ENGINE_TEST_KEY,
      fetch: cutter.fetch,
    });
    const res = await executeWithResume(client, slow('resume-give-up'), {
      maxResumes: 2,
      delayMs: () => 10,
    });
    if (res.status !== 200) {
      throw new Error(`execute ${res.status}`);
    }
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const event of res.events) {
          seen.push(event.seq);
        }
      })(),
    ).rejects.toThrow('terminated');
    expect(seen).toEqual([1, 2, 3]);
    expect(cutter.cuts()).toBe(3);
  });

  it('answers a refused request as engine.execute does, and a failed replay as ResumeError', async () => {
    const wrongKey = createEngineClient({ baseUrl: engine.baseUrl, engineKey: 'sk-wrong' });
    const refused = await executeWithResume(wrongKey, slow('refused'));
    expect(refused.status).toBe(401);

    // The key is rotated away between the drop and the replay: replay answers 401.
    let key = ENGINE_TEST_KEY;
    const cutter = cuttingFetch(1);
    const client = createEngineClient({
      baseUrl: engine.baseUrl,
      engineKey: () => key,
      fetch: cutter.fetch,
    });
    const res = await executeWithResume(client, slow('replay-refused'), {
      delayMs: () => 10,
      onResume: () => {
        key = 'sk-revoked';
      },
    });
    if (res.status !== 200) {
      throw new Error(`execute ${res.status}`);
    }
    const error = await (async () => {
      for await (const _ of res.events) {
        // drained until the drop
      }
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ResumeError);
    expect(error).toMatchObject({ lastEventId: '1', response: { status: 401 } });
  });
});
