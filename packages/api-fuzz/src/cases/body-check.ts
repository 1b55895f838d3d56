import type { CaseContext, Expectation } from './fuzz-case.js';
import { hasNonFinite, parseStrict } from './json-splice.js';

const PROTO_KEYS = new Set(['__proto__']);

/**
 * A key that pollutes prototypes when a careless merge copies it: `__proto__` anywhere, or
 * `constructor` holding `prototype`. The platform refuses both whatever the schema says
 * (http-kit's reader; issue 11 finding 3 for processors).
 */
export function hasPoisonKey(value: unknown, depth = 0): boolean {
  if (depth > 64 || typeof value !== 'object' || value === null) {
    return false;
  }
  for (const key of Object.keys(value)) {
    const inner = (value as Record<string, unknown>)[key];
    if (PROTO_KEYS.has(key)) {
      return true;
    }
    if (key === 'constructor' && typeof inner === 'object' && inner !== null) {
      if (Object.keys(inner).includes('prototype')) {
        return true;
      }
    }
    if (hasPoisonKey(inner, depth + 1)) {
      return true;
    }
  }
  return false;
}

/**
 * Whether body bytes are something the operation must refuse: not strict UTF-8 JSON, a number
 * no double holds, a poisoning key, or a value the documented schema rejects.
 */
export function isDefectiveBody(ctx: CaseContext, bytes: Buffer): boolean {
  const schema = ctx.op.body?.schema;
  const parsed = parseStrict(bytes);
  if (parsed === undefined || schema === undefined) {
    return true;
  }
  if (hasNonFinite(parsed.value) || hasPoisonKey(parsed.value)) {
    return true;
  }
  return !ctx.validator.valid(schema, parsed.value);
}

/**
 * The refusal a defective body gets: 413 over the size limit, else 400 (or 422 where the
 * operation documents it for a semantically invalid value).
 */
export function bodyRefusal(ctx: CaseContext, bytes: Buffer): Expectation {
  if (bytes.length > ctx.bodyLimitBytes) {
    return { statuses: [413] };
  }
  return { statuses: ctx.op.statuses.has('422') ? [400, 422] : [400] };
}
