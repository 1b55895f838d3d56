import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { brainMigrations, openBrain } from './open-brain.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) {
    await rm(dir, { recursive: true, force: true });
  }
});

describe('openBrain', () => {
  it('migrates once, in WAL mode, and keeps data across a reopen of the same file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'brain-'));
    const path = join(dir, 'nested', 'brain.sqlite');
    const first = openBrain(path);
    expect(first.applied).toEqual(brainMigrations.map((m) => m.name));
    expect(first.db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    first.db.prepare('INSERT INTO brain_meta (key, value) VALUES (?, ?)').run('owner', 'u1');
    first.close();

    const second = openBrain(path);
    expect(second.applied).toEqual([]);
    expect(second.db.prepare('SELECT value FROM brain_meta WHERE key = ?').get('owner')).toEqual({
      value: 'u1',
    });
    second.close();
  });

  it('rolls a failing migration back and applies nothing of it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'brain-'));
    const path = join(dir, 'brain.sqlite');
    const broken = [
      {
        name: '001_half',
        up: (db: import('node:sqlite').DatabaseSync) => {
          db.exec('CREATE TABLE t (x)');
          db.exec('THIS IS NOT SQL');
        },
      },
    ];
    expect(() => openBrain(path, broken)).toThrow();
    const brain = openBrain(path, []);
    const tables = brain.db.prepare("SELECT name FROM sqlite_master WHERE name = 't'").all();
    expect(tables).toEqual([]);
    expect(brain.db.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({ n: 0 });
    brain.close();
  });
});
