import { randomBytes } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { surfaceByName } from '@agentplane/contracts';
import { startLiveEngine, waitHealthy } from '@agentplane/testkit';
import { surfaceDocument } from '../openapi/api-document.js';
import { FUZZ_BODY_LIMIT_BYTES, type FuzzTarget, type StateSnapshot } from './fuzz-target.js';

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
  const key = `sk-fuzz-${randomBytes(12).toString('hex')}`;
  const engine = await startLiveEngine({
    key,
    tmpPrefix: 'api-fuzz-engine-',
    env: { BODY_LIMIT_BYTES: String(FUZZ_BODY_LIMIT_BYTES) },
  });
  const { service, brainPath } = engine;
  try {
    await waitHealthy(service.baseUrl);
  } catch (error) {
    await engine.close();
    throw error;
  }
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
      return { ...brainRows(brainPath), config, pending };
    },
    close: () => engine.close(),
  };
}
