import { createTmpDir, type TmpDir } from '@agentplane/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStore, type NewMemoryItem } from './memory-store.js';
import { type Brain, openBrain } from './open-brain.js';

let dir: TmpDir;
let brain: Brain;
let path: string;

beforeEach(async () => {
  dir = await createTmpDir('brain-memory-');
  path = `${dir.path}/brain.sqlite`;
  brain = openBrain(path);
});
afterEach(async () => {
  brain.close();
  await dir.remove();
});

const ftsRows = (query: string) =>
  Number(
    brain.db.prepare('SELECT count(*) AS n FROM memory_fts WHERE memory_fts MATCH ?').get(query)?.n,
  );

describe('memory store', () => {
  it('ranks the most relevant items first and survives a reopen', () => {
    const memory = createMemoryStore(brain.db);
    memory.write([
      { kind: 'fact', content: 'The weather in Lisbon was sunny on Monday' },
      { kind: 'fact', content: 'Kiwi fruit: kiwi smoothies, kiwi salad, the user loves kiwi' },
      { kind: 'fact', content: 'Bought bananas and a single kiwi at the market' },
      { kind: 'note', content: 'Meeting notes: quarterly planning with finance' },
    ]);
    brain.close();
    brain = openBrain(path);
    const hits = createMemoryStore(brain.db).search('kiwi');
    expect(hits.map((h) => h.content)).toEqual([
      'Kiwi fruit: kiwi smoothies, kiwi salad, the user loves kiwi',
      'Bought bananas and a single kiwi at the market',
    ]);
    expect(hits[0]?.score).toBeGreaterThan(hits[1]?.score ?? 0);
    // Several words: any may match, items matching more (and rarer) words rank higher.
    expect(createMemoryStore(brain.db).search('kiwi market bananas')[0]?.content).toMatch(
      /^Bought bananas/,
    );
  });

  it('treats FTS5 syntax in the query as plain words, never as operators', () => {
    const memory = createMemoryStore(brain.db);
    memory.write([
      { kind: 'fact', content: 'alpha and beta near gamma' },
      { kind: 'fact', content: 'delta only' },
    ]);
    const hostile = [
      '"',
      '"alpha',
      'alpha"',
      'alp*',
      '*',
      'alpha AND',
      'AND OR NOT',
      'NEAR(alpha beta',
      'NEAR(',
      '-alpha',
      'content:alpha',
      '^alpha',
      '(alpha OR',
      'alpha) OR (delta',
      "'; DROP TABLE memory_items; --",
      '',
      '   ',
      '🙂',
    ];
    for (const query of hostile) {
      expect(() => memory.search(query), query).not.toThrow();
    }
    // `-alpha` must not mean "NOT alpha", nor `content:` pick a column.
    expect(memory.search('-alpha').map((h) => h.content)).toEqual(['alpha and beta near gamma']);
    expect(memory.search('content:delta').map((h) => h.content)).toEqual(['delta only']);
    // Keywords are words: "near" matches the text that contains it.
    expect(memory.search('NEAR(').map((h) => h.content)).toEqual(['alpha and beta near gamma']);
    expect(memory.search('"').length).toBe(0);
    expect(memory.get(memory.search('delta')[0]?.id ?? '')?.content).toBe('delta only');
  });

  it('matches accents loosely and filters by kind and by every given tag', () => {
    const memory = createMemoryStore(brain.db);
    memory.write([
      { kind: 'fact', content: 'Café on the corner', tags: ['place', 'coffee'] },
      { kind: 'fact', content: 'cafe receipts', tags: ['finance'] },
      { kind: 'note', content: 'cafe with Ana', tags: ['place', 'people'] },
    ]);
    expect(memory.search('cafe')).toHaveLength(3);
    expect(memory.search('CAFÉ')).toHaveLength(3);
    expect(
      memory
        .search('cafe', { tags: ['place'] })
        .map((h) => h.content)
        .sort(),
    ).toEqual(['Café on the corner', 'cafe with Ana']);
    expect(memory.search('cafe', { tags: ['place', 'people'] }).map((h) => h.content)).toEqual([
      'cafe with Ana',
    ]);
    expect(memory.search('cafe', { kinds: ['note'] }).map((h) => h.content)).toEqual([
      'cafe with Ana',
    ]);
    expect(memory.search('cafe', { kinds: ['fact'], tags: ['finance'] })).toHaveLength(1);
    expect(memory.search('cafe', { tags: ['nope'] })).toEqual([]);
    expect(memory.search('cafe', { limit: 1 })).toHaveLength(1);
    expect(memory.search('cafe', { limit: 10_000 })).toHaveLength(3);
  });

  it('re-indexes an item rewritten by id and drops deleted items from the index', () => {
    const memory = createMemoryStore(brain.db);
    const [item] = memory.write([{ kind: 'fact', content: 'the cat sleeps', tags: ['pets'] }]);
    const id = item?.id ?? '';
    expect(id).toMatch(/^mem_/);
    memory.write([{ id, kind: 'fact', content: 'the dog barks', tags: ['pets'] }]);
    expect(memory.search('cat')).toEqual([]);
    expect(memory.search('dog').map((h) => h.id)).toEqual([id]);
    expect(memory.get(id)).toMatchObject({ content: 'the dog barks', createdAt: item?.createdAt });

    expect(memory.delete([id, 'mem_unknown'])).toBe(1);
    expect(memory.search('dog')).toEqual([]);
    expect(memory.get(id)).toBeUndefined();
    expect(ftsRows('dog')).toBe(0);
    // The index agrees with its content table (FTS5's own consistency check).
    expect(() =>
      brain.db.exec("INSERT INTO memory_fts (memory_fts, rank) VALUES ('integrity-check', 1)"),
    ).not.toThrow();
  });

  it('writes a batch all or nothing', () => {
    const memory = createMemoryStore(brain.db);
    const bad = [
      { kind: 'fact', content: 'fine' },
      { kind: 'fact', content: null },
    ] as unknown as NewMemoryItem[];
    expect(() => memory.write(bad)).toThrow();
    expect(memory.search('fine')).toEqual([]);
    expect(brain.db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
  });

  it('writes 10k items in one transaction and still ranks a common-term search', () => {
    const memory = createMemoryStore(brain.db);
    const items: NewMemoryItem[] = [];
    for (let i = 0; i < 10_000; i++) {
      // "common" is in every item; "rare" in one of a hundred.
      const extra = i % 100 === 0 ? ' rare' : '';
      items.push({ kind: i % 2 ? 'fact' : 'note', content: `common item ${i}${extra}` });
    }
    const started = performance.now();
    memory.write(items);
    const writeMs = performance.now() - started;
    const searchStarted = performance.now();
    const hits = memory.search('common rare', { limit: 50 });
    const searchMs = performance.now() - searchStarted;
    // Not a timing assertion: the figures are printed for the note.
    console.log(JSON.stringify({ memoryWrite10kMs: writeMs, commonRareSearchMs: searchMs }));
    expect(hits).toHaveLength(50);
    expect(hits.every((h) => h.content.endsWith('rare'))).toBe(true);
    // Only the common term: capped to the newest candidates, still a full page of results.
    const common = memory.search('common item', { limit: 50 });
    expect(common).toHaveLength(50);
    expect(ftsRows('common')).toBe(10_000);
  });
});
