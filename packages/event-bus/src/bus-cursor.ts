import { formatStreamId, isStreamId, parseStreamId } from './stream-id.js';

/**
 * Where a reader of several topics is: per topic, the id of the last entry it was given
 * (`0-0`: none yet). A topic that is absent is read from its oldest retained entry.
 */
export type BusCursor<T extends string = string> = Partial<Record<T, string>>;

// Text form, the SSE `id:` of every bus event: `<topic>:<id>` for every followed topic, joined
// by `,` in the bus's topic order, e.g. `agent.lifecycle:1733-0,rag.events:0-0`. Each event
// carries the whole vector, not only its own topic's id: EventSource sends back only the last
// id it saw, and that one id must put every topic back exactly after what the client was given.

const MAX_CURSOR_CHARS = 4096;

/** Thrown for a Last-Event-ID that is not a bus cursor over the bus's topics. */
export class InvalidBusCursorError extends RangeError {
  override readonly name = 'InvalidBusCursorError';
}

export function formatCursor<T extends string>(cursor: BusCursor<T>, order: readonly T[]): string {
  return order
    .filter((topic) => cursor[topic] !== undefined)
    .map((topic) => `${topic}:${cursor[topic]}`)
    .join(',');
}

/**
 * Reads a cursor's text form; any subset of the topics (one `topic:id` included) is accepted.
 * Throws InvalidBusCursorError for an unknown topic, a malformed id or a repeated topic.
 */
export function parseCursor<T extends string>(text: string, topics: readonly T[]): BusCursor<T> {
  if (text.length > MAX_CURSOR_CHARS) {
    throw new InvalidBusCursorError('The cursor is too long');
  }
  const known = new Set<string>(topics);
  const cursor: BusCursor<T> = {};
  for (const part of text.split(',')) {
    // Ids never contain ':', so the last one separates the topic.
    const at = part.lastIndexOf(':');
    const topic = part.slice(0, at);
    const id = part.slice(at + 1);
    if (at < 0 || !known.has(topic) || !isStreamId(id)) {
      throw new InvalidBusCursorError(`Not a position of a bus topic: ${part.slice(0, 80)}`);
    }
    if (cursor[topic as T] !== undefined) {
      throw new InvalidBusCursorError(`Topic ${topic} appears twice`);
    }
    cursor[topic as T] = formatStreamId(parseStreamId(id));
  }
  return cursor;
}
