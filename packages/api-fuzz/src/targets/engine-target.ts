import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { surfaceByName } from '@agentplane/contracts';
import { createTmpDir, spawnService } from '@agentplane/testkit';
import { surfaceDocument } from '../openapi/api-document.js';
import { FUZZ_BODY_LIMIT_BYTES, type FuzzTarget, type StateSnapshot } from './fuzz-target.js';
import { NO_LLM_KEYS, REPO_ROOT, waitHealthy } from './process-support.js';

/** Every table of the brain (history, memory, usage, keys, FTS shadow tables), row by row. */
function brainRows(path: string): StateSnapshot {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all() as Array<{ name: string }>;
    const out: StateSnapshot = {};
    for (const { name } of tables) {
      out[`brain.${name}`] = db.prepare(`SELECT * FROM "${name.replaceAll('"', '""')}"`).all();
    }
    return out;
  } finally {
    db.close();
  }
}

async function engineJson(
  base: string,
  key: string,
  path: string,
  body?: object,
): Promise<unknown> {
  const res = await fetch(`${base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'x-engine-key': key, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return res.json();
}

/**
 * The real engine (apps/engine/src/main.ts) keyless on the mock model, its brain in a temp
 * dir. State: the brain's tables, the active gateway config (its generation moves on every
 * swap) and the pending HITL requests.
 */
export async function startEngineTarget(): Promise<FuzzTarget> {
  const tmp = await createTmpDir('api-fuzz-engine-');
  const key = `sk-fuzz-${randomBytes(12).toString('hex')}`;
  const brain = join(tmp.path, 'brain.sqlite');
  try {
    const service = await spawnService({
      entry: join(REPO_ROOT, 'apps/engine/src/main.ts'),
      env: {
        ...NO_LLM_KEYS,
        NODE_ENV: 'test',
        SQLITE_DB_PATH: brain,
        CATALOG_DIR: join(REPO_ROOT, 'catalog'),
        GATEWAY_CONFIG_PATH: join(tmp.path, 'gateway.yaml'),
        ENGINE_KEY_HASH: createHash('sha256').update(key).digest('hex'),
        BODY_LIMIT_BYTES: String(FUZZ_BODY_LIMIT_BYTES),
      },
      timeoutMs: 60_000,
    });
    await waitHealthy(`${service.baseUrl}/health`);
    return {
      name: 'engine',
      doc: surfaceDocument(surfaceByName('engine')),
      port: service.port,
      credentials: { engineKey: key },
      pathParams: {},
      overrides: {},
      bodyLimitBytes: FUZZ_BODY_LIMIT_BYTES,
      async snapshot() {
        const config = await engineJson(service.baseUrl, key, '/rpc', {
          subsystem: 'control',
          op: 'get_config',
        });
        const pending = await engineJson(service.baseUrl, key, '/hitl/pending');
        return { ...brainRows(brain), config, pending };
      },
      async close() {
        await service.stop('SIGTERM');
        await tmp.remove();
      },
    };
  } catch (error) {
    await tmp.remove();
    throw error;
  }
}
