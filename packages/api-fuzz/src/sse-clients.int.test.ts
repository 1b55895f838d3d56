import { randomBytes } from 'node:crypto';
import { TERMINAL_EVENT_NAMES } from '@agentplane/contracts';
import { createDocumentChecker } from '@agentplane/testkit';
import { fetchEventSource } from '@microsoft/fetch-event-source';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from './openapi/api-document.js';
import { readClosingStream } from './sse/closing-stream.js';
import { type SseEvent, streamEventNames, streamProblems } from './sse/stream-events.js';
import { startEngineTarget } from './targets/engine-target.js';
import type { FuzzTarget } from './targets/fuzz-target.js';
import { startProcessorTarget } from './targets/processor-target.js';

// The streams of the platform read by SSE clients nobody here wrote, to their terminal event:
// `eventsource` (v5, POST through its `fetch` option) and `@microsoft/fetch-event-source`. Every
// event's data is checked against the document's stream schema.

let engine: FuzzTarget;
let processor: FuzzTarget;

beforeAll(async () => {
  [engine, processor] = await Promise.all([
    startEngineTarget(),
    startProcessorTarget('text_summarize'),
  ]);
});

afterAll(async () => {
  await Promise.all([engine?.close(), processor?.close()]);
});

interface Stream {
  target: () => FuzzTarget;
  operationId: string;
  headers: () => Record<string, string>;
  body: () => string;
  terminal: (name: string) => boolean;
}

const streams: Record<string, Stream> = {
  'engine POST /execute': {
    target: () => engine,
    operationId: 'execute',
    headers: () => ({ 'x-engine-key': engine.credentials.engineKey ?? '' }),
    body: () =>
      JSON.stringify({ message: 'Say hello', task_id: `sse-${randomBytes(6).toString('hex')}` }),
    terminal: (name) => (TERMINAL_EVENT_NAMES as readonly string[]).includes(name),
  },
  'text_summarize POST /run-stream': {
    target: () => processor,
    operationId: 'runProcessorStream',
    headers: () => ({}),
    body: () =>
      JSON.stringify({
        ...processor.overrides.runProcessorStream?.body,
        execution_id: `sse-${randomBytes(6).toString('hex')}`,
      }),
    terminal: (name) => name === 'done',
  },
};

function operation(s: Stream): Operation {
  const op = s.target().doc.operations.find((o) => o.id === s.operationId);
  if (op === undefined) {
    throw new Error(`${s.operationId} is not in the ${s.target().doc.name} document`);
  }
  return op;
}

function url(s: Stream): string {
  return `http://127.0.0.1:${s.target().port}${operation(s).path}`;
}

/** The same judgement for every client: ends on exactly one terminal event, all valid. */
function expectComplete(s: Stream, events: SseEvent[]): void {
  const target = s.target();
  const terminal = events.filter((e) => s.terminal(e.event));
  expect(terminal, events.map((e) => e.event).join(',')).toHaveLength(1);
  expect(s.terminal(events[events.length - 1]?.event ?? '')).toBe(true);
  const checker = createDocumentChecker(target.doc.raw);
  expect(streamProblems(checker, operation(s).path, events)).toEqual([]);
}

describe.each(Object.entries(streams))('%s', (_name, s) => {
  it('eventsource v5 (POST through its fetch option) reads it to the terminal event', async () => {
    let requests = 0;
    const es = new EventSource(url(s), {
      fetch: (input, init) => {
        requests++;
        return fetch(input, {
          ...init,
          method: 'POST',
          headers: { ...init.headers, ...s.headers(), 'content-type': 'application/json' },
          body: s.body(),
        });
      },
    });
    const events = await new Promise<SseEvent[]>((resolve, reject) => {
      const seen: SseEvent[] = [];
      const timer = setTimeout(() => {
        es.close();
        reject(new Error(`no terminal event in 20 s: ${seen.map((e) => e.event).join(',')}`));
      }, 20_000);
      // EventSource dispatches named events only to listeners of that name: listen to every
      // name the document's stream schema declares.
      for (const name of streamEventNames(s.target().doc, operation(s))) {
        es.addEventListener(name, (e) => {
          seen.push({ event: name, data: e.data, id: e.lastEventId });
          if (s.terminal(name)) {
            // Closed here, or the client would reconnect (POSTing again) when the stream ends.
            es.close();
            clearTimeout(timer);
            resolve(seen);
          }
        });
      }
    });
    expectComplete(s, events);
    expect(requests).toBe(1);
  });

  it('@microsoft/fetch-event-source reads it to the terminal event', async () => {
    const events: SseEvent[] = [];
    // It cannot finish under plain Node: on every way out (stream end, abort, error) its
    // dispose() calls document.removeEventListener and window.clearTimeout unconditionally,
    // even with openWhenHidden, so the end of a stream throws "document is not defined" and
    // its promise never settles. Stand-ins for those two globals, for this call only.
    const g = globalThis as Record<string, unknown>;
    g.document = { hidden: false, addEventListener() {}, removeEventListener() {} };
    g.window = { setTimeout, clearTimeout, fetch };
    try {
      await fetchEventSource(url(s), {
        method: 'POST',
        headers: { ...s.headers(), 'content-type': 'application/json' },
        body: s.body(),
        openWhenHidden: true,
        fetch,
        onmessage: (e) => {
          events.push({ event: e.event, data: e.data, id: e.id });
        },
        onerror: (error: unknown) => {
          throw error;
        },
      });
    } finally {
      delete g.document;
      delete g.window;
    }
    expectComplete(s, events);
  });

  it('with Connection: close, the server closes the socket after the terminal event', async () => {
    const result = await readClosingStream({
      port: s.target().port,
      path: operation(s).path,
      headers: { ...s.headers(), 'accept-encoding': 'gzip, br' },
      body: s.body(),
      isTerminal: (e) => s.terminal(e.event),
      graceMs: 2000,
      timeoutMs: 20_000,
    });
    expect(result.status).toBe(200);
    // SSE is never compressed, whatever the client accepts.
    expect(result.headers['content-encoding']).toBeUndefined();
    expectComplete(s, result.events);
    expect(
      result.closedAfterMs,
      'the socket was still open 2 s after the terminal event',
    ).toBeDefined();
  });
});
