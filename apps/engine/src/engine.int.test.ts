import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildEngineDocument, createClient, engineRoutes } from '@agentplane/contracts';
import { runToExit, spawnService } from '@agentplane/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('./main.ts', import.meta.url));
const sampleCatalog = fileURLToPath(new URL('../../../catalog', import.meta.url));
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'engine-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('engine process', () => {
  it('serves a strict /health, its OpenAPI document, and exits 0 on SIGTERM', async () => {
    const engine = await spawnService({
      entry,
      env: { SQLITE_DB_PATH: join(dir, 'ok', 'brain.sqlite'), CATALOG_DIR: sampleCatalog },
    });
    try {
      const client = createClient(engineRoutes, { baseUrl: engine.baseUrl });
      const health = await client.getHealth();
      expect(health.status).toBe(200);
      if (health.status === 200) {
        expect(health.body.status).toBe('ok');
        expect(health.body.subsystems.catalog.ok).toBe(true);
      }
      const doc = await fetch(`${engine.baseUrl}/openapi.json`).then((r) => r.json());
      expect(doc).toEqual(JSON.parse(JSON.stringify(buildEngineDocument())));
    } finally {
      expect(await engine.stop('SIGTERM')).toBe(0);
    }
  });

  it('reports a malformed catalog in subsystems with 503 instead of crashing', async () => {
    const catalog = join(dir, 'bad-catalog');
    await cp(sampleCatalog, catalog, { recursive: true });
    await writeFile(join(catalog, 'agents', 'coder.json'), '{"id": "coder"');
    const engine = await spawnService({
      entry,
      env: { SQLITE_DB_PATH: join(dir, 'bad', 'brain.sqlite'), CATALOG_DIR: catalog },
    });
    try {
      const health = await createClient(engineRoutes, { baseUrl: engine.baseUrl }).getHealth();
      expect(health.status).toBe(503);
      if (health.status === 503) {
        expect(health.body.status).toBe('degraded');
        expect(health.body.subsystems.brain.ok).toBe(true);
        expect(health.body.subsystems.catalog).toMatchObject({ ok: false });
        expect(health.body.subsystems.catalog.detail).toContain('coder.json');
      }
    } finally {
      expect(await engine.stop()).toBe(0);
    }
  });

  it('refuses to start on a bad variable, naming it', async () => {
    const { code, stderr } = await runToExit({
      entry,
      env: { PORT: 'eighty', ENGINE_KEY_HASH: 'abc' },
    });
    expect(code).toBe(1);
    expect(stderr).toContain('PORT');
    expect(stderr).toContain('ENGINE_KEY_HASH');
  });
});
