import { join } from 'node:path';
import { createTmpDir, type TmpDir } from '@agentplane/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Brain, openBrain } from '../brain/open-brain.js';
import { createUsageStore } from './usage-store.js';

const DAY = 86_400_000;
const quotas = { tokens_per_day: 1000, requests_per_minute: 10 };

let tmp: TmpDir;
let brain: Brain | undefined;
let file = 0;
beforeAll(async () => {
  tmp = await createTmpDir('usage-');
});
afterAll(() => {
  brain?.close();
  return tmp.remove();
});

function fresh(): Brain {
  brain?.close();
  file += 1;
  const opened = openBrain(join(tmp.path, `brain-${file}.sqlite`));
  brain = opened;
  return opened;
}

/** The same aggregates straight from the table: what the in-memory mirror must agree with. */
function fromTable(b: Brain, now: number) {
  const dayStart = Math.floor(now / DAY) * DAY;
  const tokens = b.db
    .prepare(
      'SELECT coalesce(sum(input_tokens + output_tokens), 0) AS n FROM llm_usage WHERE created_at >= ?',
    )
    .get(dayStart);
  const calls = b.db
    .prepare('SELECT count(*) AS n FROM llm_usage WHERE created_at > ?')
    .get(now - 60_000);
  return { tokens_used: Number(tokens?.n), requests_last_minute: Number(calls?.n) };
}

const row = (at: number, tokens = 10) => ({
  task_id: 't',
  model: 'mock',
  input_tokens: tokens,
  output_tokens: 1,
  cache_hit_tokens: 0,
  at: new Date(at),
});

describe('quotaState', () => {
  it('follows record() without reading the table again, and agrees with it', () => {
    const b = fresh();
    const usage = createUsageStore(b.db);
    const t0 = Math.floor(Date.now() / DAY) * DAY + 3_600_000;
    usage.record(row(t0 - 2 * DAY, 500)); // an earlier day
    expect(usage.quotaState(quotas, new Date(t0))).toMatchObject({
      tokens_used: 0,
      requests_last_minute: 0,
    });
    for (let i = 0; i < 5; i++) {
      usage.record(row(t0 + i * 20_000));
    }
    usage.record(row(t0 - 30_000)); // out of order, still inside the minute
    for (const now of [t0 + 80_000, t0 + 90_000, t0 + 200_000]) {
      expect(usage.quotaState(quotas, new Date(now))).toMatchObject(fromTable(b, now));
    }
    // An earlier `now` than the last answer is read from the table.
    expect(usage.quotaState(quotas, new Date(t0 + 10_000))).toMatchObject(
      fromTable(b, t0 + 10_000),
    );
    // The next day starts from zero tokens.
    expect(usage.quotaState(quotas, new Date(t0 + DAY))).toMatchObject(fromTable(b, t0 + DAY));
  });

  it('starts from the rows already in the brain (a restarted engine)', () => {
    const b = fresh();
    const before = createUsageStore(b.db);
    const now = Date.now();
    before.record(row(now - 1000));
    before.record(row(now - 120_000, 100)); // today, not in the last minute
    const after = createUsageStore(b.db);
    expect(after.quotaState(quotas, new Date(now))).toMatchObject(fromTable(b, now));
    after.record(row(now - 100));
    expect(after.quotaState(quotas, new Date(now))).toMatchObject(fromTable(b, now));
  });
});
