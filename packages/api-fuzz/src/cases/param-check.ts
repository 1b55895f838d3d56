import { deref, type ParamSpec, type Schema } from '../openapi/api-document.js';
import type { CaseContext } from './fuzz-case.js';

/** A request line (method, path, query) longer than this lands past node's 16 KB header limit. */
export const OVERSIZED_URL = 16 * 1024;

function typesOf(schema: Schema, ctx: CaseContext): string[] {
  const s = deref(ctx.doc.raw, schema);
  const own = Array.isArray(s.type)
    ? s.type.map(String)
    : typeof s.type === 'string'
      ? [s.type]
      : [];
  const branches = [...((s.anyOf ?? []) as unknown[]), ...((s.oneOf ?? []) as unknown[])];
  return [...own, ...branches.flatMap((b) => typesOf(b as Schema, ctx))];
}

/**
 * A parameter's text as the value its schema describes: OpenAPI's `form`/`simple` styles
 * serialize numbers and booleans canonically, so only canonical texts become numbers.
 */
function coerce(spec: ParamSpec, ctx: CaseContext, text: string): unknown {
  const types = typesOf(spec.schema, ctx);
  if (types.includes('integer') && /^-?\d+$/.test(text)) {
    return Number(text);
  }
  if (types.includes('number') && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text)) {
    return Number(text);
  }
  if (types.includes('boolean') && (text === 'true' || text === 'false')) {
    return text === 'true';
  }
  return text;
}

export function isNumeric(spec: ParamSpec, ctx: CaseContext): boolean {
  const types = typesOf(spec.schema, ctx);
  return types.includes('integer') || types.includes('number');
}

/** Whether the decoded `text` is a valid value of the parameter. */
export function paramValid(spec: ParamSpec, ctx: CaseContext, text: string): boolean {
  const value = coerce(spec, ctx, text);
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return false;
  }
  return ctx.validator.valid(spec.schema, value);
}

/** The operation's template as a pattern over raw paths (as the kit's router matches them). */
export function templatePattern(template: string): RegExp {
  const source = template
    .split(/\{[^}]+\}/)
    .map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  return new RegExp(`^${source}/?$`, 'i');
}
