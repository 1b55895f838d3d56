import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProcessorStreamEvent } from '../processors/stream.js';
import { createSseDecoder, readSseEvents, readSseMessages, SseEventError } from './sse.js';

const STREAM = [
  ': connected\r\n',
  '\r\n',
  'event: text_delta\r\n',
  'id: 1\r\n',
  'data: {"event":"text_delta",\r\n',
  'data: "text":"héllo"}\r\n',
  '\r\n',
  ':heartbeat\n',
  '\n',
  'event:usage\r',
  'data:{"event":"usage","n":2}\r',
  'id:2\r',
  '\r',
  'data: plain\n',
  'data\n',
  '\n',
].join('');

const EXPECTED = [
  { event: 'text_delta', data: '{"event":"text_delta",\n"text":"héllo"}', id: '1' },
  { event: 'usage', data: '{"event":"usage","n":2}', id: '2' },
  { event: 'message', data: 'plain\n', id: '2' },
];

function decodeInPieces(pieces: string[]) {
  const decoder = createSseDecoder();
  const out = pieces.flatMap((p) => decoder.push(p));
  return [...out, ...decoder.end()];
}

describe('createSseDecoder', () => {
  it('parses fields, multi-line data, comments, CRLF/CR/LF and persistent ids', () => {
    expect(decodeInPieces([STREAM])).toEqual(EXPECTED);
  });

  it('gives the same result when the text is split at every position', () => {
    for (let i = 0; i <= STREAM.length; i++) {
      expect(decodeInPieces([STREAM.slice(0, i), STREAM.slice(i)])).toEqual(EXPECTED);
    }
    expect(decodeInPieces([...STREAM])).toEqual(EXPECTED);
  });

  it('strips a leading BOM and drops an unterminated last message', () => {
    expect(decodeInPieces(['\uFEFFdata: a\n\n', 'data: b\n'])).toEqual([
      { event: 'message', data: 'a', id: undefined },
    ]);
  });

  it('does not treat a CR at the end of a chunk as a blank line before its LF arrives', () => {
    expect(decodeInPieces(['data: a\r', '\n', '\r', '\n'])).toEqual([
      { event: 'message', data: 'a', id: undefined },
    ]);
  });
});

async function* bytes(text: string, size: number): AsyncGenerator<Uint8Array> {
  const all = new TextEncoder().encode(text);
  for (let i = 0; i < all.length; i += size) {
    yield all.slice(i, i + size);
  }
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) {
    out.push(x);
  }
  return out;
}

describe('readSseMessages', () => {
  it('decodes UTF-8 split inside a multi-byte character', async () => {
    for (const size of [1, 2, 3, 7]) {
      expect(await collect(readSseMessages(bytes(STREAM, size)))).toEqual(EXPECTED);
    }
  });
});

const Ev = z.discriminatedUnion('event', [
  z.object({ event: z.literal('a'), n: z.number() }),
  z.object({ event: z.literal('b.done') }),
]);

describe('readSseEvents', () => {
  it('validates events, reports ids and skips unknown event names', async () => {
    const ids: string[] = [];
    const unknown: string[] = [];
    const text =
      'event: a\nid: 1\ndata: {"event":"a","n":1}\n\n' +
      'event: newer_thing\nid: 2\ndata: {"event":"newer_thing"}\n\n' +
      ': ping\n\n' +
      'event: b.done\nid: 3\ndata: {"event":"b.done"}\n\n';
    const events = await collect(
      readSseEvents(bytes(text, 5), Ev, {
        onId: (id) => ids.push(id),
        onUnknown: (m) => unknown.push(m.event),
      }),
    );
    expect(events).toEqual([{ event: 'a', n: 1 }, { event: 'b.done' }]);
    expect(ids).toEqual(['1', '2', '3']);
    expect(unknown).toEqual(['newer_thing']);
  });

  it('throws on a known event with an invalid payload, bad JSON or a name mismatch', async () => {
    const cases = [
      'event: a\ndata: {"event":"a","n":"x"}\n\n',
      'event: a\ndata: {not json\n\n',
      'event: a\ndata: {"event":"b.done"}\n\n',
    ];
    for (const text of cases) {
      await expect(collect(readSseEvents(bytes(text, 4), Ev))).rejects.toBeInstanceOf(
        SseEventError,
      );
    }
  });

  it('takes the discriminator from the event name when the data has none (a processor done)', async () => {
    const envelope = {
      status: 'error',
      execution_id: 'e1',
      error: { code: 'ERR_TIMEOUT', message: 'the run exceeded runtime.timeout_s' },
      meta: { env_fingerprint: 'cpu:1;memory:1Gi', image_digest: 'unknown' },
    };
    const text =
      'event: started\ndata: {"event":"started","execution_id":"e1"}\n\n' +
      `event: done\ndata: ${JSON.stringify(envelope)}\n\n`;
    const events = await collect(readSseEvents(bytes(text, 3), ProcessorStreamEvent));
    expect(events).toEqual([
      { event: 'started', execution_id: 'e1' },
      { event: 'done', ...envelope },
    ]);
    const done = events[1];
    // Typed: `event` narrows to the done event, whose status narrows to the error envelope.
    if (done?.event === 'done' && done.status === 'error') {
      expect(done.error.code).toBe('ERR_TIMEOUT');
    } else {
      expect.fail('expected a done event with an error envelope');
    }
    // Data that is not an object, or an envelope under a name it does not fit, still fails.
    for (const bad of [
      'event: done\ndata: "x"\n\n',
      `event: progress\ndata: ${JSON.stringify(envelope)}\n\n`,
    ]) {
      await expect(
        collect(readSseEvents(bytes(bad, 4), ProcessorStreamEvent)),
      ).rejects.toBeInstanceOf(SseEventError);
    }
  });
});
