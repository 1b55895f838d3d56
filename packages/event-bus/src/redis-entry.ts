import type { LogEntry } from './stream-log.js';

// One stream entry in Redis: fields `event` (the name) and `data` (the JSON), readable with
// redis-cli as they are.

export function encodeFields(entry: { event: string; data: unknown }): string[] {
  return ['event', entry.event, 'data', JSON.stringify(entry.data) ?? 'null'];
}

/** Never throws: a foreign writer's entry without JSON still reaches followers (as a string). */
export function decodeEntry(id: string, fields: readonly string[]): LogEntry {
  let event = '';
  let raw: string | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === 'event') {
      event = fields[i + 1] ?? '';
    } else if (fields[i] === 'data') {
      raw = fields[i + 1];
    }
  }
  return { id, event, data: parseJson(raw) };
}

function parseJson(raw: string | undefined): unknown {
  if (raw === undefined) {
    return null;
  }
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
