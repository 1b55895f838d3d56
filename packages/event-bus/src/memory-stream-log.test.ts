import { describe, expect, it } from 'vitest';
import { createMemoryStreamLog } from './memory-stream-log.js';
import { streamLogContract, withLogs } from './stream-log-contract.js';

describe('memory stream log', () => {
  streamLogContract(
    (name, body) => it(name, () => withLogs((opts) => createMemoryStreamLog(opts), body)),
    // One process, no connections: nothing to count.
    { assertOneBlockingConnection: async () => {} },
  );

  it('keeps ids monotonic when the clock stands still or goes back', async () => {
    let clock = 1000;
    const log = createMemoryStreamLog({ now: () => clock });
    const a = await log.append('s', [
      { event: 'e', data: 1 },
      { event: 'e', data: 2 },
    ]);
    clock = 900;
    const b = await log.append('s', [{ event: 'e', data: 3 }]);
    clock = 2000;
    const c = await log.append('t', [{ event: 'e', data: 4 }]);
    expect([...a, ...b, ...c]).toEqual(['1000-0', '1000-1', '1000-2', '2000-0']);
    await log.close();
  });
});
