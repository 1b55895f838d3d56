import type { z } from 'zod';

// What OpenAPI's form serialization of an integer or number produces: no sign but '-', no
// exponent, hex, binary, blanks or a bare dot. `z.coerce.number()` would read '1e1', '0x10',
// ' 5' and '' (as 0) too, so a client's typo would pass silently.
const CANONICAL_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;

type Wrapper = { innerType?: z.ZodType };

/** The schema under optional/default/nullable/readonly wrappers. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let i = 0; i < 8; i++) {
    const inner = (current._zod.def as Wrapper).innerType;
    if (inner === undefined) {
      return current;
    }
    current = inner;
  }
  return current;
}

/** Keys of a query/params object schema whose values are numbers. */
export function numericKeysOf(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => unwrap(field as z.ZodType)._zod.def.type === 'number')
    .map(([key]) => key);
}

/**
 * A copy of a query or params object in which the canonical numeric strings of `keys` are
 * numbers; any other text stays a string, which the field's `z.number()` then refuses by name.
 */
export function withNumbers(value: unknown, keys: readonly string[]): unknown {
  if (keys.length === 0 || typeof value !== 'object' || value === null) {
    return value;
  }
  const source = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const key of keys) {
    const text = source[key];
    if (typeof text === 'string' && CANONICAL_NUMBER.test(text)) {
      out ??= { ...source };
      out[key] = Number(text);
    }
  }
  return out ?? value;
}
