import type { z } from 'zod';

/** One dispatched SSE message (WHATWG event-stream semantics). */
export interface SseMessage {
  /** `event:` field; `message` when absent. */
  event: string;
  /** `data:` lines joined with `\n`. */
  data: string;
  /** The last `id:` seen so far in the stream (ids persist across messages, per the spec). */
  id: string | undefined;
}

/**
 * Incremental SSE decoder: feed text in arbitrary pieces (a chunk may end inside a line, a field
 * or between CR and LF); it returns the messages completed so far. Comments (`:` lines, used for
 * heartbeats) are skipped; `retry:` is ignored.
 */
export function createSseDecoder(): { push(text: string): SseMessage[]; end(): SseMessage[] } {
  let buffer = '';
  let started = false;
  let event = '';
  let data: string[] = [];
  let lastId: string | undefined;

  const line = (raw: string, out: SseMessage[]): void => {
    if (raw === '') {
      if (data.length > 0) {
        out.push({ event: event === '' ? 'message' : event, data: data.join('\n'), id: lastId });
      }
      event = '';
      data = [];
      return;
    }
    if (raw.startsWith(':')) {
      return;
    }
    const colon = raw.indexOf(':');
    const field = colon === -1 ? raw : raw.slice(0, colon);
    let value = colon === -1 ? '' : raw.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    if (field === 'event') {
      event = value;
    } else if (field === 'data') {
      data.push(value);
    } else if (field === 'id' && !value.includes('\0')) {
      lastId = value;
    }
  };

  const drain = (final: boolean): SseMessage[] => {
    const out: SseMessage[] = [];
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const ch = buffer[i];
      if (ch !== '\n' && ch !== '\r') {
        continue;
      }
      // A CR as the last char may be the first half of a CRLF split across chunks: wait.
      if (ch === '\r' && i === buffer.length - 1 && !final) {
        break;
      }
      line(buffer.slice(start, i), out);
      if (ch === '\r' && buffer[i + 1] === '\n') {
        i++;
      }
      start = i + 1;
    }
    buffer = buffer.slice(start);
    if (final && buffer !== '') {
      // An unterminated last line is discarded with its message, as the spec requires.
      buffer = '';
    }
    return out;
  };

  return {
    push(text) {
      let chunk = text;
      if (!started && chunk.length > 0) {
        started = true;
        if (chunk.charCodeAt(0) === 0xfeff) {
          chunk = chunk.slice(1);
        }
      }
      buffer += chunk;
      return drain(false);
    },
    end() {
      return drain(true);
    },
  };
}

/** Decode a byte (or text) stream into SSE messages; UTF-8 sequences may be split anywhere. */
export async function* readSseMessages(
  source: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<SseMessage> {
  const decoder = createSseDecoder();
  const utf8 = new TextDecoder('utf-8');
  for await (const chunk of source) {
    const text = typeof chunk === 'string' ? chunk : utf8.decode(chunk, { stream: true });
    yield* decoder.push(text);
  }
  yield* decoder.push(utf8.decode());
  yield* decoder.end();
}

/** A stream message that is not valid JSON, or fails the event schema. */
export class SseEventError extends Error {
  override readonly name = 'SseEventError';
  constructor(
    message: string,
    readonly sse: SseMessage,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Event names a discriminated union accepts, so unknown (newer) event types can be skipped. */
export function eventNamesOf(schema: z.ZodType, discriminator = 'event'): Set<string> | undefined {
  const def = schema._zod.def as { type: string; options?: z.ZodType[] };
  if (def.type !== 'union' || def.options === undefined) {
    return undefined;
  }
  const names = new Set<string>();
  for (const option of def.options) {
    const values = option._zod.propValues?.[discriminator];
    for (const v of values ?? []) {
      // An optional discriminator (a processor's done event) also lists undefined.
      if (v !== undefined) {
        names.add(String(v));
      }
    }
  }
  return names;
}

export interface ReadSseEventsOptions {
  /** Called with each `id:` as events arrive (track it to resume with Last-Event-ID). */
  onId?: (id: string) => void;
  /** Called for messages whose event name the schema does not know; they are skipped. */
  onUnknown?: (message: SseMessage) => void;
  /** Discriminator field of the union that must equal the SSE `event:` name. */
  discriminator?: string;
}

/**
 * Parse an SSE stream whose `data:` is JSON of one union member, validating each event with
 * `schema`. The data's discriminator must equal the `event:` name; data without one (an object)
 * gets it from that name. Unknown event names are skipped (new event types are minor additions);
 * a known name with an invalid payload throws SseEventError.
 */
export async function* readSseEvents<S extends z.ZodType>(
  source: AsyncIterable<Uint8Array | string>,
  schema: S,
  options: ReadSseEventsOptions = {},
): AsyncGenerator<z.output<S>> {
  const discriminator = options.discriminator ?? 'event';
  const known = eventNamesOf(schema, discriminator);
  for await (const message of readSseMessages(source)) {
    if (message.id !== undefined) {
      options.onId?.(message.id);
    }
    if (known !== undefined && message.event !== 'message' && !known.has(message.event)) {
      options.onUnknown?.(message);
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(message.data);
    } catch (error) {
      throw new SseEventError(`event ${message.event}: data is not JSON`, message, error);
    }
    const named = (json as Record<string, unknown> | null)?.[discriminator];
    if (named === undefined && message.event !== 'message' && isPlainObject(json)) {
      // Data that is a whole document (a processor's `done` carries its envelope) has no
      // discriminator of its own: the SSE `event:` line names it.
      json = { [discriminator]: message.event, ...json };
    } else if (message.event !== 'message' && named !== message.event) {
      throw new SseEventError(
        `event ${message.event}: data.${discriminator} is ${String(named)}`,
        message,
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new SseEventError(`event ${message.event}: invalid payload`, message, parsed.error);
    }
    yield parsed.data;
  }
}
