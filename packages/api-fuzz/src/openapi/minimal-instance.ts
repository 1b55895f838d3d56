import type { OpenApiDocument } from '@agentplane/testkit';
import fc from 'fast-check';
import { deref, type Schema } from './api-document.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const FORMATS: Record<string, string> = {
  'date-time': '2026-01-01T00:00:00Z',
  date: '2026-01-01',
  uuid: '00000000-0000-4000-8000-000000000001',
  uri: 'https://example.com/',
  url: 'https://example.com/',
  email: 'fuzz@example.com',
};

function typesOf(schema: Schema): string[] {
  if (Array.isArray(schema.type)) {
    return schema.type.map(String);
  }
  if (typeof schema.type === 'string') {
    return [schema.type];
  }
  if (schema.properties !== undefined) {
    return ['object'];
  }
  if (schema.items !== undefined) {
    return ['array'];
  }
  return [];
}

function minimalString(schema: Schema): string {
  const min = typeof schema.minLength === 'number' ? schema.minLength : 1;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : 64;
  if (typeof schema.format === 'string' && FORMATS[schema.format] !== undefined) {
    return FORMATS[schema.format] ?? '';
  }
  if (typeof schema.pattern === 'string') {
    // A few samples, seeded: the first that also fits the length bounds.
    const samples = fc.sample(fc.stringMatching(new RegExp(schema.pattern)), {
      seed: 7,
      numRuns: 50,
    });
    // Only an explicit maxLength bounds these: a pattern may fix a longer length (a digest).
    const most = typeof schema.maxLength === 'number' ? schema.maxLength : Number.POSITIVE_INFINITY;
    const fit = samples.find((s) => s.length >= min && s.length <= most);
    if (fit !== undefined) {
      return fit;
    }
  }
  return 'fuzz'.padEnd(min, 'z').slice(0, Math.max(min, Math.min(4, max)));
}

function minimalNumber(schema: Schema, integer: boolean): number {
  const lo =
    typeof schema.minimum === 'number'
      ? schema.minimum
      : typeof schema.exclusiveMinimum === 'number'
        ? schema.exclusiveMinimum + (integer ? 1 : 0.5)
        : 1;
  const hi = typeof schema.maximum === 'number' ? schema.maximum : Number.MAX_SAFE_INTEGER;
  const value = Math.min(Math.max(lo, 1), hi);
  return integer ? Math.ceil(value) : value;
}

function merge(a: Json | undefined, b: Json): Json {
  if (
    typeof a === 'object' &&
    a !== null &&
    !Array.isArray(a) &&
    typeof b === 'object' &&
    b !== null &&
    !Array.isArray(b)
  ) {
    return { ...a, ...b };
  }
  return b;
}

/**
 * A small value valid against `schema` (required properties only, lower bounds, first enum or
 * branch), or undefined when this simple walk cannot find one. The caller checks the result
 * with the validator: this is a guess at a valid value, not a proof.
 */
export function minimalInstance(doc: OpenApiDocument, raw: unknown, depth = 0): Json | undefined {
  if (depth > 24) {
    return undefined;
  }
  const schema = deref(doc, raw);
  if ('const' in schema) {
    return schema.const as Json;
  }
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    return schema.enum[0] as Json;
  }
  if ('default' in schema && schema.default !== undefined) {
    return schema.default as Json;
  }
  for (const key of ['oneOf', 'anyOf'] as const) {
    const branches = schema[key];
    if (Array.isArray(branches)) {
      // The first branch that yields a value; the caller's validation catches overlaps.
      for (const branch of branches) {
        const value = minimalInstance(doc, branch, depth + 1);
        if (value !== undefined) {
          return value;
        }
      }
    }
  }
  if (Array.isArray(schema.allOf)) {
    let value: Json | undefined;
    for (const part of schema.allOf) {
      const inner = minimalInstance(doc, part, depth + 1);
      if (inner !== undefined) {
        value = merge(value, inner);
      }
    }
    if (value !== undefined) {
      return value;
    }
  }
  const type = typesOf(schema).find((t) => t !== 'null') ?? typesOf(schema)[0];
  switch (type) {
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, unknown>;
      const out: Record<string, Json> = {};
      for (const name of (schema.required ?? []) as string[]) {
        const value = minimalInstance(doc, props[name] ?? {}, depth + 1);
        if (value === undefined) {
          return undefined;
        }
        out[name] = value;
      }
      return out;
    }
    case 'array': {
      const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
      const item = min > 0 ? minimalInstance(doc, schema.items ?? {}, depth + 1) : null;
      return item === undefined ? undefined : Array.from({ length: min }, () => item);
    }
    case 'string':
      return minimalString(schema);
    case 'integer':
      return minimalNumber(schema, true);
    case 'number':
      return minimalNumber(schema, false);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return {};
  }
}
