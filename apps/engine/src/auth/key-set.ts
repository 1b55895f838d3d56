import type { DatabaseSync } from 'node:sqlite';
import { ApiError } from '@agentplane/http-kit';

/** The accepted X-Engine-Key hashes: every hash in the set is accepted (rotation overlap). */
export interface KeySet {
  hashes(): readonly string[];
  /** Replaces the set and persists it, so a restart mid-rotation keeps both keys. */
  replace(hashes: readonly string[]): void;
}

// brain_meta key remembering which ENGINE_KEY_HASH was in the environment when the stored set was
// written ('' = none): it tells a restart whether the environment changed since.
const ENV_SEED_KEY = 'engine_key_hashes.env_seed';

function readStored(db: DatabaseSync): { hashes: string[]; envSeed: string | undefined } {
  const hashes = db
    .prepare('SELECT hash FROM engine_key_hashes ORDER BY hash')
    .all()
    .map((row) => String(row.hash));
  const seed = db.prepare('SELECT value FROM brain_meta WHERE key = ?').get(ENV_SEED_KEY);
  return { hashes, envSeed: seed === undefined ? undefined : String(seed.value) };
}

function writeStored(db: DatabaseSync, hashes: readonly string[], envSeed: string): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec('DELETE FROM engine_key_hashes');
    const insert = db.prepare('INSERT INTO engine_key_hashes (hash, added_at) VALUES (?, ?)');
    const at = new Date().toISOString();
    for (const hash of hashes) {
      insert.run(hash, at);
    }
    db.prepare(
      'INSERT INTO brain_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ).run(ENV_SEED_KEY, envSeed);
    db.exec('COMMIT');
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}

/**
 * The start-up set, by which source is newer:
 * - a stored set written while ENGINE_KEY_HASH had its current value wins (set_key_hashes came
 *   after the environment: a restart mid-rotation keeps [old, new], and a revoked old key stays
 *   revoked even though the container's env still names it);
 * - if ENGINE_KEY_HASH changed since the set was stored (the container was re-created with a new
 *   key), the environment is newer: it replaces the stored set instead of locking the owner out;
 * - with no ENGINE_KEY_HASH, a stored set still applies (unsetting the variable never opens up).
 */
function resolveAtStart(db: DatabaseSync, envHash: string | undefined): string[] {
  const stored = readStored(db);
  const envUnchanged = stored.envSeed === (envHash ?? '');
  if (stored.hashes.length > 0 && (envUnchanged || envHash === undefined)) {
    return stored.hashes;
  }
  if (envHash === undefined) {
    return [];
  }
  writeStored(db, [envHash], envHash);
  return [envHash];
}

/**
 * The key set, persisted in the brain (table engine_key_hashes). Without a brain (it failed to
 * open; /health is then not ok) the set is ENGINE_KEY_HASH alone and cannot be replaced.
 */
export function createKeySet(db: DatabaseSync | undefined, envHash: string | undefined): KeySet {
  let current: readonly string[] = Object.freeze(
    db === undefined ? (envHash === undefined ? [] : [envHash]) : resolveAtStart(db, envHash),
  );
  return {
    hashes: () => current,
    replace(hashes) {
      if (db === undefined) {
        // The orchestrator relies on the set surviving a restart; accepting it unpersisted would
        // lie to it, so refuse until the brain opens.
        throw new ApiError({
          code: 'NOT_READY',
          message: 'The brain is not open; the key set cannot be persisted',
        });
      }
      writeStored(db, hashes, envHash ?? '');
      current = Object.freeze([...hashes]);
    },
  };
}
