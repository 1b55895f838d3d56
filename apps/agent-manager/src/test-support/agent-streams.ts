import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AGENT_TERMINAL_EVENTS, type AgentEvent } from '@agentplane/contracts';

export interface SeenEvent {
  id: string | undefined;
  event: AgentEvent;
}

type AgentStream = { events: AsyncIterable<AgentEvent>; lastEventId(): string | undefined };
const iterators = new WeakMap<AgentStream, AsyncIterator<AgentEvent>>();

/**
 * Reads an SSE response of the client until its terminal event (or `limit` events). The stream
 * stays open after a `limit`, so a later call reads on from there.
 */
export async function readEvents(
  res: AgentStream,
  limit = Number.POSITIVE_INFINITY,
): Promise<SeenEvent[]> {
  let iterator = iterators.get(res);
  if (!iterator) {
    iterator = res.events[Symbol.asyncIterator]();
    iterators.set(res, iterator);
  }
  const seen: SeenEvent[] = [];
  while (seen.length < limit) {
    const next = await iterator.next();
    if (next.done) {
      break;
    }
    seen.push({ id: res.lastEventId(), event: next.value });
    if (AGENT_TERMINAL_EVENTS.includes(next.value.event)) {
      break;
    }
  }
  return seen;
}

export const names = (seen: readonly SeenEvent[]) => seen.map((s) => s.event.event);

/**
 * A loopback HTTP server the agents' http.fetch calls: POST /count counts side effects (by
 * body), GET /slow answers after `slowMs` on its `slowCall`-th call (a window to kill a worker in).
 */
export async function startCounterServer(slowMs = 15_000, slowCall = 1) {
  const posts: string[] = [];
  let slowCalls = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/count') {
        posts.push(body);
        res.end(JSON.stringify({ count: posts.length }));
        return;
      }
      if (req.url === '/slow') {
        slowCalls += 1;
        const timer = setTimeout(() => res.end('slow done'), slowCalls === slowCall ? slowMs : 0);
        res.on('close', () => clearTimeout(timer));
        return;
      }
      res.end('hello');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    posts,
    slowCalls: () => slowCalls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
