import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createClient, engineRoutes, type GatewayConfigInput } from '@agentplane/contracts';
import { createTmpDir, type TmpDir } from '@agentplane/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashEngineKey } from '../auth/engine-key.js';
import { startTestEngine, type TestEngine } from '../test-engine.js';

const KEY = 'sk-test-engine-key-one';
const NEW_KEY = 'sk-test-engine-key-two';

let tmp: TmpDir;
const running: TestEngine[] = [];

/** The shared test engine with no key unless `env` gives one (rpc tests exercise the unset case). */
async function startEngineFor(
  name: string,
  env: Record<string, string> = {},
  openWhenKeyUnset = false,
): Promise<TestEngine> {
  const engine = await startTestEngine(join(tmp.path, name), {
    env,
    keyHash: null,
    openWhenKeyUnset,
  });
  running.push(engine);
  return engine;
}

const clientFor = (url: string, key?: string) =>
  createClient(engineRoutes, {
    baseUrl: url,
    headers: (): Record<string, string> => (key === undefined ? {} : { 'x-engine-key': key }),
  });

beforeAll(async () => {
  tmp = await createTmpDir('engine-rpc-');
});
afterAll(async () => {
  await Promise.all(running.map((e) => e.close()));
  await tmp.remove();
});

describe('POST /rpc auth', () => {
  it('answers 401 envelopes without a key and with a wrong one, and never logs the key', async () => {
    const { url, logs } = await startEngineFor('auth', { ENGINE_KEY_HASH: hashEngineKey(KEY) });
    const body = { subsystem: 'control', op: 'get_config' } as const;

    const missing = await clientFor(url).rpc({ body });
    expect(missing.status).toBe(401);
    if (missing.status === 401) {
      expect(missing.body.error.code).toBe('UNAUTHORIZED');
      expect(missing.body.error.correlation_id).toBeTruthy();
    }
    const wrong = await clientFor(url, 'sk-wrong').rpc({ body });
    expect(wrong.status).toBe(401);

    // The key is checked before validation: a bad body without a key is still a 401.
    const unvalidated = await clientFor(url).rpc({ body: { op: 'nope' } as never });
    expect(unvalidated.status).toBe(401);
    // …and before the body is even parsed: malformed JSON without a key is a 401, not a 400.
    const malformed = await fetch(`${url}/rpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"subsystem":',
    });
    expect(malformed.status).toBe(401);

    expect((await clientFor(url, KEY).rpc({ body })).status).toBe(200);
    const joined = logs.join('');
    expect(joined).not.toContain(KEY);
    expect(joined).not.toContain('sk-wrong');
  });

  it('with no hash configured refuses guarded routes unless open (development) was chosen', async () => {
    const body = { subsystem: 'control', op: 'get_config' } as const;
    const closed = await startEngineFor('nokey-closed');
    const refused = await clientFor(closed.url).rpc({ body });
    expect(refused.status).toBe(401);
    if (refused.status === 401) {
      expect(refused.body.error.message).toContain('ENGINE_KEY_HASH');
    }
    const open = await startEngineFor('nokey-open', {}, true);
    expect((await clientFor(open.url).rpc({ body })).status).toBe(200);
  });
});

describe('POST /rpc control', () => {
  it('set_config swaps atomically, get_config returns it, and a held config never changes', async () => {
    const { url, engine } = await startEngineFor('config', {
      ENGINE_KEY_HASH: hashEngineKey(KEY),
    });
    const client = clientFor(url, KEY);
    const held = engine.gateway.current();
    const heldCopy = structuredClone(held);
    expect(held.source).toBe('default');

    const next: GatewayConfigInput = {
      models: { default: 'gpt-4o-mini', fallback: ['mock'] },
      quotas: { tokens_per_day: 5000, requests_per_minute: 30 },
    };
    const set = await client.rpc({
      body: { subsystem: 'control', op: 'set_config', config: next },
    });
    expect(set.status).toBe(200);
    if (set.status !== 200 || set.body.op !== 'set_config') {
      throw new Error('set_config failed');
    }
    expect(set.body.result.generation).toBe(held.generation + 1);
    expect(set.body.result.source).toBe('rpc');

    const got = await client.rpc({ body: { subsystem: 'control', op: 'get_config' } });
    expect(got.status === 200 && got.body.op === 'get_config' && got.body.result).toEqual(
      set.body.result,
    );
    if (got.status === 200 && got.body.op === 'get_config') {
      expect(got.body.result.config.models.default).toBe('gpt-4o-mini');
      expect(got.body.result.config.quotas.tokens_per_day).toBe(5000);
      // Defaults fill every omitted section.
      expect(got.body.result.config.prompt_cache.enabled).toBe(true);
    }

    // A run that read the config before the swap still sees exactly what it read.
    expect(held).toEqual(heldCopy);
    expect(Object.isFrozen(held.config.quotas)).toBe(true);
    expect(() => {
      (held.config.quotas as { tokens_per_day: number | null }).tokens_per_day = 1;
    }).toThrow(TypeError);
  });

  it('reload: a bad file is 422 CONFIG_INVALID naming the field and the old config stays', async () => {
    const { url, gatewayPath } = await startEngineFor('reload', {
      ENGINE_KEY_HASH: hashEngineKey(KEY),
    });
    const client = clientFor(url, KEY);
    await writeFile(gatewayPath, 'models:\n  default: claude-x\nquotas:\n  tokens_per_day: 100\n');
    const good = await client.rpc({ body: { subsystem: 'control', op: 'reload' } });
    expect(good.status === 200 && good.body.op === 'reload' && good.body.result).toMatchObject({
      source: 'file',
      config: { models: { default: 'claude-x' }, quotas: { tokens_per_day: 100 } },
    });

    await writeFile(gatewayPath, 'quotas:\n  tokens_per_day: -5\n  per_hour: 3\n');
    const bad = await client.rpc({ body: { subsystem: 'control', op: 'reload' } });
    expect(bad.status).toBe(422);
    if (bad.status === 422) {
      expect(bad.body.error.code).toBe('CONFIG_INVALID');
      expect(bad.body.error.message).toContain('quotas.tokens_per_day');
      expect(bad.body.error.details).toMatchObject({ issues: expect.any(Array) });
    }
    await writeFile(gatewayPath, 'models: [unclosed\n');
    const unparsable = await client.rpc({ body: { subsystem: 'control', op: 'reload' } });
    expect(unparsable.status).toBe(422);

    const after = await client.rpc({ body: { subsystem: 'control', op: 'get_config' } });
    expect(after.status === 200 && after.body.op === 'get_config' && after.body.result).toEqual(
      good.status === 200 && good.body.result,
    );
  });

  it('unknown op or subsystem is 400 UNKNOWN_OPERATION; bad params are 400 VALIDATION_ERROR', async () => {
    const { url } = await startEngineFor('bad', { ENGINE_KEY_HASH: hashEngineKey(KEY) });
    const client = clientFor(url, KEY);
    const codeOf = async (body: unknown) => {
      const res = await client.rpc({ body: body as never });
      return res.status === 400 ? res.body.error.code : `status ${res.status}`;
    };
    expect(await codeOf({ subsystem: 'control', op: 'explode' })).toBe('UNKNOWN_OPERATION');
    expect(await codeOf({ subsystem: 'billing', op: 'get_config' })).toBe('UNKNOWN_OPERATION');
    expect(await codeOf({ subsystem: 'telemetry', op: 'get_config' })).toBe('UNKNOWN_OPERATION');
    expect(
      await codeOf({ subsystem: 'control', op: 'set_config', config: { quotas: { x: 1 } } }),
    ).toBe('VALIDATION_ERROR');
    expect(
      await codeOf({
        subsystem: 'control',
        op: 'set_config',
        config: { quotas: { tokens_per_day: 0 } },
      }),
    ).toBe('VALIDATION_ERROR');
    expect(await codeOf({ subsystem: 'control', op: 'set_key_hashes', hashes: ['abc'] })).toBe(
      'VALIDATION_ERROR',
    );
    expect(await codeOf({ subsystem: 'control', op: 'set_key_hashes', hashes: [] })).toBe(
      'VALIDATION_ERROR',
    );
  });

  it('set_key_hashes [old, new] accepts both keys, then [new] rejects the old one', async () => {
    const { url } = await startEngineFor('rotate', { ENGINE_KEY_HASH: hashEngineKey(KEY) });
    const body = { subsystem: 'control', op: 'get_config' } as const;
    const overlap = await clientFor(url, KEY).rpc({
      body: {
        subsystem: 'control',
        op: 'set_key_hashes',
        hashes: [hashEngineKey(KEY), hashEngineKey(NEW_KEY)],
      },
    });
    expect(overlap.status === 200 && overlap.body.result).toEqual({ accepted_hashes: 2 });
    expect((await clientFor(url, KEY).rpc({ body })).status).toBe(200);
    expect((await clientFor(url, NEW_KEY).rpc({ body })).status).toBe(200);

    const done = await clientFor(url, NEW_KEY).rpc({
      body: { subsystem: 'control', op: 'set_key_hashes', hashes: [hashEngineKey(NEW_KEY)] },
    });
    expect(done.status).toBe(200);
    expect((await clientFor(url, KEY).rpc({ body })).status).toBe(401);
    expect((await clientFor(url, NEW_KEY).rpc({ body })).status).toBe(200);
  });
});

describe('POST /rpc telemetry', () => {
  it('quota_state and cache_state reflect usage recorded through the usage store', async () => {
    const { url, engine } = await startEngineFor('usage', { ENGINE_KEY_HASH: hashEngineKey(KEY) });
    const client = clientFor(url, KEY);
    await client.rpc({
      body: {
        subsystem: 'control',
        op: 'set_config',
        config: { quotas: { tokens_per_day: 10_000, requests_per_minute: 60 } },
      },
    });
    const empty = await client.rpc({ body: { subsystem: 'telemetry', op: 'cache_state' } });
    expect(empty.status === 200 && empty.body.result).toMatchObject({ calls: 0, hit_ratio: 0 });

    // The engine's own store: it is the table's only writer (quota_state counts in memory).
    const usage = engine.usage;
    if (usage === undefined) {
      throw new Error('brain not open');
    }
    const now = Date.now();
    const dayStart = Math.floor(now / 86_400_000) * 86_400_000;
    const rows = [
      { at: now - 1_000, input: 1000, output: 100, hits: 800 },
      { at: now - 2_000, input: 500, output: 50, hits: 0 },
      { at: now - 120_000, input: 300, output: 30, hits: 100 }, // not in the last minute
      { at: now - 86_400_000, input: 9000, output: 900, hits: 9000 }, // yesterday
    ];
    for (const r of rows) {
      usage.record({
        task_id: 'task-1',
        model: 'mock',
        input_tokens: r.input,
        output_tokens: r.output,
        cache_hit_tokens: r.hits,
        at: new Date(r.at),
      });
    }
    const today = rows.filter((r) => r.at >= dayStart);

    const quota = await client.rpc({ body: { subsystem: 'telemetry', op: 'quota_state' } });
    expect(quota.status).toBe(200);
    expect(quota.status === 200 && quota.body.result).toEqual({
      day: new Date(dayStart).toISOString().slice(0, 10),
      tokens_used: today.reduce((n, r) => n + r.input + r.output, 0),
      tokens_per_day: 10_000,
      requests_last_minute: 2,
      requests_per_minute: 60,
      resets_at: new Date(dayStart + 86_400_000).toISOString(),
    });

    const cache = await client.rpc({ body: { subsystem: 'telemetry', op: 'cache_state' } });
    expect(cache.status === 200 && cache.body.result).toEqual({
      enabled: true,
      calls: 4,
      input_tokens: 10_800,
      cache_hit_tokens: 9_900,
      hit_ratio: 9_900 / 10_800,
      since: new Date(now - 86_400_000).toISOString(),
    });
  });
});
