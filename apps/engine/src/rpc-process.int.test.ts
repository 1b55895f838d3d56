import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, engineRoutes } from '@agentplane/contracts';
import { createTmpDir, spawnService, type TmpDir } from '@agentplane/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashEngineKey } from './auth/engine-key.js';

// The real process (src/main.ts), for what only a restart or a boot can show.
const entry = fileURLToPath(new URL('./main.ts', import.meta.url));
const sampleCatalog = fileURLToPath(new URL('../../../catalog', import.meta.url));
const OLD = 'sk-old-engine-key';
const NEW = 'sk-new-engine-key';

let tmp: TmpDir;
beforeAll(async () => {
  tmp = await createTmpDir('engine-rpc-process-');
});
afterAll(() => tmp.remove());

const getConfig = { subsystem: 'control', op: 'get_config' } as const;
const client = (baseUrl: string, key: string) =>
  createClient(engineRoutes, { baseUrl, headers: () => ({ 'x-engine-key': key }) });

describe('engine process: keys and gateway config', () => {
  it('keeps a rotated key set across restarts on the same brain file', async () => {
    const env = {
      SQLITE_DB_PATH: join(tmp.path, 'rotate', 'brain.sqlite'),
      CATALOG_DIR: sampleCatalog,
      GATEWAY_CONFIG_PATH: join(tmp.path, 'rotate', 'gateway.yaml'),
      // The orchestrator's env keeps naming the first key for the container's whole life.
      ENGINE_KEY_HASH: hashEngineKey(OLD),
    };
    let engine = await spawnService({ entry, env });
    try {
      const set = await client(engine.baseUrl, OLD).rpc({
        body: {
          subsystem: 'control',
          op: 'set_key_hashes',
          hashes: [hashEngineKey(OLD), hashEngineKey(NEW)],
        },
      });
      expect(set.status).toBe(200);
      expect(await engine.stop()).toBe(0);

      engine = await spawnService({ entry, env });
      expect((await client(engine.baseUrl, OLD).rpc({ body: getConfig })).status).toBe(200);
      expect((await client(engine.baseUrl, NEW).rpc({ body: getConfig })).status).toBe(200);
      const done = await client(engine.baseUrl, NEW).rpc({
        body: { subsystem: 'control', op: 'set_key_hashes', hashes: [hashEngineKey(NEW)] },
      });
      expect(done.status).toBe(200);
      expect(await engine.stop()).toBe(0);

      engine = await spawnService({ entry, env });
      expect((await client(engine.baseUrl, OLD).rpc({ body: getConfig })).status).toBe(401);
      expect((await client(engine.baseUrl, NEW).rpc({ body: getConfig })).status).toBe(200);
      expect(engine.stderr.join('\n')).not.toContain(NEW);
    } finally {
      await engine.stop();
    }
  });

  it('reports a malformed gateway.yaml under /health `gateway` with 503, and recovers on reload', async () => {
    const dir = join(tmp.path, 'bad-gateway');
    await mkdir(dir, { recursive: true });
    const gatewayPath = join(dir, 'gateway.yaml');
    await writeFile(gatewayPath, 'quotas:\n  requests_per_minute: "lots"\n');
    const engine = await spawnService({
      entry,
      env: {
        SQLITE_DB_PATH: join(dir, 'brain.sqlite'),
        CATALOG_DIR: sampleCatalog,
        GATEWAY_CONFIG_PATH: gatewayPath,
        ENGINE_KEY_HASH: hashEngineKey(OLD),
      },
    });
    try {
      const api = client(engine.baseUrl, OLD);
      const health = await api.getHealth();
      expect(health.status).toBe(503);
      if (health.status === 503) {
        expect(health.body.status).toBe('degraded');
        expect(health.body.subsystems.brain.ok).toBe(true);
        expect(health.body.subsystems.gateway).toMatchObject({ ok: false });
        expect(health.body.subsystems.gateway?.detail).toContain('quotas.requests_per_minute');
      }

      await writeFile(gatewayPath, 'quotas:\n  requests_per_minute: 30\n');
      const reload = await api.rpc({ body: { subsystem: 'control', op: 'reload' } });
      expect(reload.status).toBe(200);
      const healed = await api.getHealth();
      expect(healed.status).toBe(200);
      if (healed.status === 200) {
        expect(healed.body.subsystems.gateway).toEqual({ ok: true });
      }
    } finally {
      expect(await engine.stop()).toBe(0);
    }
  });
});
