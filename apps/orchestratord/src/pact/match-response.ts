import type { PactInteraction } from './pact-file.js';

// Checks a real response against a pact interaction's response: the status, every named
// header, and the body. The pact has no matchers, and some of its values are what llama-orch's
// server happened to say (a queue position, a TTL, a message): those are compared by type, the
// rest (codes, ids, labels, flags) by value. Keys we add are allowed, as Pact allows them.

/** Body fields whose values depend on server state, not on the request. */
const STATE_VALUES = new Set([
  'queue_position',
  'predicted_start_ms',
  'backoff_ms',
  'message',
  'ttl_ms_remaining',
  'kv_bytes',
  'kv_warmth',
  'tokens_out',
  'decode_ms',
  't',
  'i',
]);

/** Headers whose values are per request (the pact's were made up by its consumer test). */
const STATE_HEADERS = new Set(['x-correlation-id']);

export interface Observed {
  status: number;
  headers: Headers;
  text: string;
}

function typeOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

function matchValue(expected: unknown, actual: unknown, path: string, out: string[]): void {
  if (typeOf(expected) !== typeOf(actual)) {
    out.push(`${path}: expected a ${typeOf(expected)}, got ${JSON.stringify(actual)}`);
    return;
  }
  if (typeof expected === 'object' && expected !== null && !Array.isArray(expected)) {
    for (const [key, value] of Object.entries(expected)) {
      const next = (actual as Record<string, unknown>)[key];
      if (next === undefined) {
        out.push(`${path}.${key}: missing`);
      } else {
        matchValue(value, next, `${path}.${key}`, out);
      }
    }
    return;
  }
  const leaf = path.slice(path.lastIndexOf('.') + 1);
  if (!STATE_VALUES.has(leaf) && JSON.stringify(expected) !== JSON.stringify(actual)) {
    out.push(`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

interface SseBlock {
  event: string;
  data: unknown;
}

/** SSE blocks of a body; the pact's own (a blank line inside each event) are rejoined. */
function sseBlocks(text: string, lenient: boolean): SseBlock[] {
  const lines = text.split('\n').filter((l) => !lenient || l !== '');
  const blocks: SseBlock[] = [];
  let current: Partial<SseBlock> = {};
  const flush = () => {
    if (current.event !== undefined || current.data !== undefined) {
      blocks.push({ event: current.event ?? 'message', data: current.data });
    }
    current = {};
  };
  for (const line of lines) {
    if (line.startsWith('event:')) {
      if (lenient) {
        flush();
      }
      current.event = line.slice(6).trim();
    } else if (line.startsWith('data:')) {
      current.data = JSON.parse(line.slice(5).trim());
    } else if (line === '') {
      flush();
    }
  }
  flush();
  return blocks;
}

/**
 * The pact's stream (started, token, end) against ours: each of its event kinds in the same
 * order, each data with its fields. Our stream may carry more tokens than its one, and metrics
 * events its consumer ignores.
 */
function matchSse(expectedText: string, actualText: string, out: string[]): void {
  const expected = sseBlocks(expectedText, true);
  const actual = sseBlocks(actualText, false).filter((b) => b.event !== 'metrics');
  const kinds = (blocks: SseBlock[]) =>
    blocks.map((b) => b.event).filter((k, i, a) => a[i - 1] !== k);
  if (JSON.stringify(kinds(expected)) !== JSON.stringify(kinds(actual))) {
    out.push(`stream: events ${kinds(actual).join(',')}, expected ${kinds(expected).join(',')}`);
    return;
  }
  for (const want of expected) {
    for (const got of actual.filter((b) => b.event === want.event)) {
      matchValue(want.data, got.data, `stream.${want.event}`, out);
    }
  }
}

/** What in `observed` differs from the interaction's response; empty when it matches. */
export function mismatches(interaction: PactInteraction, observed: Observed): string[] {
  const want = interaction.response;
  const out: string[] = [];
  if (observed.status !== want.status) {
    out.push(`status ${observed.status}, expected ${want.status}: ${observed.text.slice(0, 300)}`);
  }
  for (const [name, value] of Object.entries(want.headers ?? {})) {
    const got = observed.headers.get(name);
    const key = name.toLowerCase();
    if (got === null || got === '') {
      out.push(`header ${name}: missing`);
    } else if (key === 'content-type') {
      if (got.split(';')[0]?.trim() !== value.split(';')[0]?.trim()) {
        out.push(`header ${name}: ${got}, expected ${value}`);
      }
    } else if (!STATE_HEADERS.has(key) && got !== value) {
      out.push(`header ${name}: ${got}, expected ${value}`);
    }
  }
  if (want.body === undefined || want.body === null) {
    if (observed.text !== '') {
      out.push(`body: expected none, got ${observed.text.slice(0, 200)}`);
    }
  } else if (typeof want.body === 'string') {
    matchSse(want.body, observed.text, out);
  } else {
    let actual: unknown;
    try {
      actual = JSON.parse(observed.text);
    } catch {
      out.push(`body: not JSON: ${observed.text.slice(0, 200)}`);
      return out;
    }
    matchValue(want.body, actual, 'body', out);
  }
  return out;
}
