import { isObject, type Json, type JsonObject, mapObjects, schemaRefName } from './json-tree.js';

/** Keywords that describe a value without constraining it: they stay on the outer schema. */
const ANNOTATIONS = new Set([
  'title',
  'description',
  'default',
  'example',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
]);

const NULL_SCHEMA: JsonObject = { type: 'null' };

function allowsNull(type: Json | undefined): boolean {
  return type === 'null' || (Array.isArray(type) && type.includes('null'));
}

function isBareRef(node: Json | undefined): node is JsonObject {
  return isObject(node) && schemaRefName(node) !== undefined && Object.keys(node).length === 1;
}

function split(node: JsonObject): { annotations: JsonObject; constraints: JsonObject } {
  const annotations: JsonObject = {};
  const constraints: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    (ANNOTATIONS.has(key) ? annotations : constraints)[key] = value;
  }
  return { annotations, constraints };
}

/**
 * `X.nullable()` of a named schema comes out of zod-to-openapi as
 * `allOf: [{$ref: X}, {type: [<X's type>, null]}]`. By JSON Schema that is *not* nullable (null
 * fails X), and openapi-typescript and @hey-api/openapi-ts both read it as `X`.
 */
function fromAllOf(node: JsonObject): JsonObject | undefined {
  const { allOf, ...outer } = node;
  if (!Array.isArray(allOf) || allOf.length !== 2) {
    return undefined;
  }
  const [ref, extra] = allOf;
  if (!isBareRef(ref) || !isObject(extra) || !allowsNull(extra.type)) {
    return undefined;
  }
  // `type` and an `enum` widened with null only restate X plus null: the null branch says that.
  const { type: _type, enum: _values, ...rest } = extra;
  const { annotations, constraints } = split(rest);
  const nonNullBranch: JsonObject =
    Object.keys(constraints).length === 0 ? ref : { allOf: [ref, constraints] };
  return { anyOf: [nonNullBranch, NULL_SCHEMA], ...outer, ...annotations };
}

/** Recursive (pending) refs come out as `oneOf: [{$ref: X}, {type: null}]`: same shape, one spelling. */
function fromOneOf(node: JsonObject): JsonObject | undefined {
  const { oneOf, ...outer } = node;
  if (!Array.isArray(oneOf) || oneOf.length !== 2) {
    return undefined;
  }
  const [ref, other] = oneOf;
  if (
    !isBareRef(ref) ||
    !isObject(other) ||
    other.type !== 'null' ||
    Object.keys(other).length !== 1
  ) {
    return undefined;
  }
  return { anyOf: [ref, NULL_SCHEMA], ...outer };
}

/**
 * Rewrite every nullable reference to a named schema as `anyOf: [{$ref: X}, {type: 'null'}]`
 * (annotations such as `description` and `default` beside `anyOf`), the shape JSON Schema
 * validators, openapi-typescript (`X | null`) and @hey-api/openapi-ts (`X | null`) all agree on.
 */
export function normalizeNullableRefs(doc: Json): Json {
  return mapObjects(doc, (node) => fromAllOf(node) ?? fromOneOf(node) ?? node);
}
