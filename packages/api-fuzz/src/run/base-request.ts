import type { BaseRequest } from '../cases/fuzz-case.js';
import type { ApiDocument, Operation, ParamSpec } from '../openapi/api-document.js';
import { type Json, minimalInstance } from '../openapi/minimal-instance.js';
import type { SchemaValidator } from '../openapi/schema-validator.js';
import type { FuzzTarget } from '../targets/fuzz-target.js';

function paramText(doc: ApiDocument, spec: ParamSpec): string | undefined {
  const value = minimalInstance(doc.raw, spec.schema);
  if (value === undefined || value === null || typeof value === 'object') {
    return undefined;
  }
  return String(value);
}

/**
 * A valid request of `op`: known resources for path parameters, the minimal body and required
 * query/header parameters, overrides merged, a valid credential. Throws, naming what is wrong,
 * when the result does not validate: every case would then be refused for the wrong reason.
 */
export function baseRequest(
  target: FuzzTarget,
  op: Operation,
  validator: SchemaValidator,
): BaseRequest {
  const override = target.overrides[op.id] ?? {};
  const pathParams: Record<string, string> = {};
  const query: Array<[string, string]> = [];
  const headerParams: Array<[string, string]> = [];
  for (const spec of op.params) {
    const known =
      spec.in === 'path' ? (override.path?.[spec.name] ?? target.pathParams[spec.name]) : undefined;
    const value =
      known ??
      override.query?.[spec.name] ??
      (spec.required ? paramText(target.doc, spec) : undefined);
    if (value === undefined) {
      if (spec.required) {
        throw new Error(`${op.id}: no valid value for required ${spec.in} parameter ${spec.name}`);
      }
      continue;
    }
    if (spec.in === 'path') {
      pathParams[spec.name] = value;
    } else if (spec.in === 'query') {
      query.push([spec.name, value]);
    } else {
      headerParams.push([spec.name, value]);
    }
  }
  let body: Json | undefined;
  if (op.body !== undefined) {
    const minimal = minimalInstance(target.doc.raw, op.body.schema);
    body =
      override.body !== undefined &&
      typeof minimal === 'object' &&
      minimal !== null &&
      !Array.isArray(minimal)
        ? { ...minimal, ...override.body }
        : (override.body ?? minimal);
    if (body === undefined || !validator.valid(op.body.schema, body)) {
      throw new Error(
        `${op.id}: the minimal body ${JSON.stringify(body)} does not validate; add an override`,
      );
    }
  }
  const own = op.security.find((s) => target.credentials[s.scheme] !== undefined);
  const auth: Array<[string, string]> =
    own === undefined ? [] : [[own.header, target.credentials[own.scheme] ?? '']];
  if (op.security.length > 0 && own === undefined) {
    throw new Error(`${op.id}: no credential for ${op.security.map((s) => s.scheme).join('|')}`);
  }
  return { pathParams, query, headerParams, body, auth };
}
