import { once } from 'node:events';
import { createServer } from 'node:http';
import Docker from 'dockerode';
import { afterEach, expect, test } from 'vitest';
import { followDockerEvents } from './docker-events.js';
import type { DriverEvent } from './driver.js';
import { testLogger } from './driver-test-support.js';

// The events API is a third-party service: this double speaks its wire protocol (GET /events,
// NDJSON lines) and ends the first stream the way Podman may, to exercise the reconnect.

// Ahead of the clock: `since` starts at the subscribe time and only moves forward.
const T0 = BigInt(Date.now() + 3_600_000) * 1_000_000n;
const line = (id: string, action: string, nanos: bigint) =>
  `${JSON.stringify({
    Type: 'container',
    Action: action,
    Actor: { ID: id, Attributes: { engine: id, exitCode: '3' } },
    time: Number(nanos / 1_000_000_000n),
    timeNano: Number(nanos),
  })}\n`;

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

test('one shared stream, reopened from the last event after it ends, each event once', async () => {
  const requests: URL[] = [];
  let liveStreamClosed: Promise<unknown> | undefined;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://docker');
    requests.push(url);
    res.writeHead(200, { 'content-type': 'application/json' });
    if (requests.length === 1) {
      res.write(line('a', 'start', T0 + 1_000n));
      res.end(line('b', 'die', T0 + 2_000_000n));
      return;
    }
    // The reopened stream replays what happened since `since`: b again, then something new.
    res.write(line('b', 'die', T0 + 2_000_000n));
    res.write(line('c', 'start', T0 + 3_000_000n));
    liveStreamClosed = once(res, 'close');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  cleanup = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };

  const follower = followDockerEvents({
    docker: new Docker({ protocol: 'http', host: '127.0.0.1', port }),
    filters: { type: ['container'], label: ['agentplane.fleet=x'] },
    logger: testLogger,
    minBackoffMs: 10,
    map: (raw): DriverEvent => ({
      engineId: raw.Actor?.Attributes?.engine ?? '?',
      kind: raw.Action === 'die' ? 'died' : 'started',
      exitCode: raw.Action === 'die' ? 3 : undefined,
    }),
  });
  const one: DriverEvent[] = [];
  const two: DriverEvent[] = [];
  follower.subscribe((e) => one.push(e));
  follower.subscribe((e) => two.push(e));

  const deadline = Date.now() + 5000;
  while (one.length < 3 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 10));
  }
  expect(one.map((e) => `${e.engineId}:${e.kind}`)).toEqual(['a:started', 'b:died', 'c:started']);
  expect(two).toEqual(one);
  expect(requests).toHaveLength(2); // shared by both listeners
  expect(JSON.parse(requests[0]?.searchParams.get('filters') ?? '')).toEqual({
    type: ['container'],
    label: ['agentplane.fleet=x'],
  });
  // Reopened from b's time (microseconds kept), not from the subscribe time.
  const since = Number(requests[1]?.searchParams.get('since'));
  expect(since).toBeCloseTo(Number(T0 / 1000n + 2000n) / 1e6, 5);

  follower.close();
  await liveStreamClosed; // close() hangs up the stream
  await new Promise((r) => setTimeout(r, 50));
  expect(requests).toHaveLength(2); // and does not reopen it
});
