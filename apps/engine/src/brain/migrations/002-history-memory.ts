import type { BrainMigration } from '../open-brain.js';

/**
 * Conversation history (conversations → messages → tool calls) and memory items with an FTS5
 * index. Times are integer milliseconds since the epoch: cheap to compare, sort and subtract.
 */
export const historyMemory002: BrainMigration = {
  name: '002_history_memory',
  up: (db) =>
    db.exec(`
      -- id is the client's task_id: reusing it continues the thread.
      CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        title TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );

      -- seq orders a conversation's messages; (conversation_id, seq) also serves the history
      -- read. Superseded rows (edit/retry) stay for audit; superseded_by names the turn that
      -- replaced them.
      CREATE TABLE messages (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        turn_id TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant', 'tool')),
        content TEXT NOT NULL,
        tool_call_id TEXT,
        status TEXT NOT NULL DEFAULT 'complete'
          CHECK (status IN ('complete', 'interrupted', 'errored')),
        replaces_id TEXT,
        created_at INTEGER NOT NULL,
        superseded_by TEXT,
        superseded_at INTEGER,
        UNIQUE (conversation_id, seq),
        CHECK ((role = 'tool') = (tool_call_id IS NOT NULL))
      );
      CREATE INDEX messages_turn ON messages (turn_id);

      -- Keyed by (message, position) rather than the call id alone: a re-run that reuses a
      -- recorded result for the same stable call id records it again under the new message.
      CREATE TABLE tool_calls (
        message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
        ord INTEGER NOT NULL,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        arguments TEXT NOT NULL CHECK (json_valid(arguments)),
        result TEXT CHECK (result IS NULL OR json_valid(result)),
        status TEXT NOT NULL CHECK (status IN ('ok', 'error', 'denied')),
        started_at INTEGER NOT NULL,
        finished_at INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL,
        PRIMARY KEY (message_id, ord)
      ) WITHOUT ROWID;
      CREATE INDEX tool_calls_id ON tool_calls (id);

      -- seq is an INTEGER PRIMARY KEY on purpose: the FTS index refers to rows by rowid, and
      -- only an aliased rowid is guaranteed to survive VACUUM.
      CREATE TABLE memory_items (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        content TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags) AND json_type(tags) = 'array'),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX memory_items_kind ON memory_items (kind, updated_at);

      -- External content: the text is stored once (in memory_items); triggers keep the index
      -- in step with every insert, content update and delete.
      CREATE VIRTUAL TABLE memory_fts USING fts5 (
        content, content = 'memory_items', content_rowid = 'seq',
        tokenize = 'unicode61 remove_diacritics 2'
      );
      -- Per-term document counts, used to keep very common terms from dominating search cost.
      CREATE VIRTUAL TABLE memory_fts_vocab USING fts5vocab (memory_fts, 'row');

      CREATE TRIGGER memory_items_ai AFTER INSERT ON memory_items BEGIN
        INSERT INTO memory_fts (rowid, content) VALUES (new.seq, new.content);
      END;
      CREATE TRIGGER memory_items_ad AFTER DELETE ON memory_items BEGIN
        INSERT INTO memory_fts (memory_fts, rowid, content) VALUES ('delete', old.seq, old.content);
      END;
      CREATE TRIGGER memory_items_au AFTER UPDATE OF content ON memory_items BEGIN
        INSERT INTO memory_fts (memory_fts, rowid, content) VALUES ('delete', old.seq, old.content);
        INSERT INTO memory_fts (rowid, content) VALUES (new.seq, new.content);
      END;
    `),
};
