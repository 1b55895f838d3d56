import type { BrainMigration } from '../open-brain.js';

/** A key/value table for facts about the brain itself (owner, created-by version, …). */
export const meta001: BrainMigration = {
  name: '001_meta',
  up: (db) => db.exec('CREATE TABLE brain_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)'),
};
