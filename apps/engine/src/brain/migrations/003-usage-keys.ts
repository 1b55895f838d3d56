import type { BrainMigration } from '../open-brain.js';

/**
 * Per-LLM-call usage (quota_state, cache_state) and the accepted engine key hashes
 * (set_key_hashes). created_at is epoch milliseconds: the quota queries are range scans on it.
 */
export const usageKeys003: BrainMigration = {
  name: '003_usage_keys',
  up: (db) =>
    db.exec(`
      CREATE TABLE llm_usage (
        id INTEGER PRIMARY KEY,
        task_id TEXT NOT NULL,
        model TEXT NOT NULL,
        input_tokens INTEGER NOT NULL CHECK (input_tokens >= 0),
        output_tokens INTEGER NOT NULL CHECK (output_tokens >= 0),
        cache_hit_tokens INTEGER NOT NULL CHECK (cache_hit_tokens >= 0),
        created_at INTEGER NOT NULL
      );
      CREATE INDEX llm_usage_created_at ON llm_usage (created_at);
      CREATE TABLE engine_key_hashes (
        hash TEXT PRIMARY KEY CHECK (length(hash) = 64),
        added_at TEXT NOT NULL
      );
    `),
};
