/** A JSON value as the generator emits it (documents are plain data: no cycles, no classes). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Rebuild a JSON tree bottom-up: `visit` sees every object after its children were rebuilt and
 * returns its replacement (or the object itself).
 */
export function mapObjects(value: Json, visit: (node: JsonObject) => Json): Json {
  if (Array.isArray(value)) {
    return value.map((item) => mapObjects(item, visit));
  }
  if (!isObject(value)) {
    return value;
  }
  const rebuilt: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    rebuilt[key] = mapObjects(child, visit);
  }
  return visit(rebuilt);
}

const SCHEMA_REF = '#/components/schemas/';

/** The component name of a `{$ref: '#/components/schemas/<name>'}` node, else undefined. */
export function schemaRefName(node: JsonObject): string | undefined {
  const ref = node.$ref;
  return typeof ref === 'string' && ref.startsWith(SCHEMA_REF)
    ? ref.slice(SCHEMA_REF.length)
    : undefined;
}

/** Every component schema name referenced anywhere in `value` (`$ref` and discriminator mappings). */
export function referencedSchemas(value: Json, into = new Set<string>()): Set<string> {
  mapObjects(value, (node) => {
    const name = schemaRefName(node);
    if (name !== undefined) {
      into.add(name);
    }
    const mapping = isObject(node.discriminator) ? node.discriminator.mapping : undefined;
    for (const target of isObject(mapping) ? Object.values(mapping) : []) {
      if (typeof target === 'string' && target.startsWith(SCHEMA_REF)) {
        into.add(target.slice(SCHEMA_REF.length));
      }
    }
    return node;
  });
  return into;
}

export { SCHEMA_REF };
