import type { Json } from '../openapi/minimal-instance.js';

/** A location in a JSON value: object keys and array indexes from the root. */
export type Pointer = ReadonlyArray<string | number>;

/** Every node of `value` (root first), down to `maxDepth`. */
export function nodesOf(value: Json, maxDepth = 8): Pointer[] {
  const out: Pointer[] = [];
  const walk = (node: Json, at: Pointer) => {
    out.push(at);
    if (at.length >= maxDepth || typeof node !== 'object' || node === null) {
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        walk(item, [...at, i]);
      });
    } else {
      for (const [key, item] of Object.entries(node)) {
        walk(item, [...at, key]);
      }
    }
  };
  walk(value, []);
  return out;
}

export function getAt(value: Json, at: Pointer): Json | undefined {
  let node: Json | undefined = value;
  for (const key of at) {
    if (typeof node !== 'object' || node === null) {
      return undefined;
    }
    node = Array.isArray(node) ? node[key as number] : node[key as string];
  }
  return node;
}

/** A copy of `value` with the node at `at` replaced (or deleted when `next` is undefined). */
export function setAt(value: Json, at: Pointer, next: Json | undefined): Json | undefined {
  if (at.length === 0) {
    return next;
  }
  const [head, ...rest] = at;
  if (Array.isArray(value)) {
    const copy = [...value];
    const inner = setAt(copy[head as number] ?? null, rest, next);
    if (inner === undefined) {
      copy.splice(head as number, 1);
    } else {
      copy[head as number] = inner;
    }
    return copy;
  }
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) {
      copy[k] = v;
    }
    const inner = setAt(copy[head as string] ?? null, rest, next);
    if (inner === undefined) {
      delete copy[head as string];
    } else {
      // defineProperty: a key named `__proto__` must become an own property, not the prototype.
      Object.defineProperty(copy, head as string, {
        value: inner,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return copy;
  }
  return value;
}

export function typeOfJson(value: Json | undefined): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'array';
  }
  return typeof value;
}

// Stands in for raw text in a JSON.stringify result; never produced by a generator.
const SENTINEL = '__api_fuzz_raw_7f3a__';

/**
 * `value` serialized with the node at `at` replaced by `raw` bytes, verbatim: numbers JSON
 * cannot round-trip (`1e400`), nesting deeper than is sane to build as objects, invalid UTF-8.
 */
export function spliceRaw(value: Json, at: Pointer, raw: Buffer): Buffer {
  const marked = setAt(value, at, SENTINEL) ?? SENTINEL;
  const text = JSON.stringify(marked);
  const [before = '', after = ''] = text.split(`"${SENTINEL}"`);
  return Buffer.concat([Buffer.from(before), raw, Buffer.from(after)]);
}

/** Parses bytes as a strict UTF-8 JSON text; undefined when either step fails. */
export function parseStrict(bytes: Buffer): { value: unknown } | undefined {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

/** True when a parsed value holds a number JSON texts can write but a double cannot hold. */
export function hasNonFinite(value: unknown, depth = 0): boolean {
  if (typeof value === 'number') {
    return !Number.isFinite(value);
  }
  if (depth > 64 || typeof value !== 'object' || value === null) {
    return false;
  }
  return Object.values(value).some((v) => hasNonFinite(v, depth + 1));
}
