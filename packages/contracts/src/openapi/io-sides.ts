import { OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { z } from 'zod';
import {
  isObject,
  type Json,
  type JsonObject,
  referencedSchemas,
  SCHEMA_REF,
  schemaRefName,
} from './json-tree.js';

/** Which side of a zod schema a document describes: what a client sends, or what it receives. */
export type Side = 'input' | 'output';

interface ObjectTransformer {
  requiredKeysOf(schema: z.ZodObject): string[];
}

/** A key the parsed value always has: zod's `optout` (a `.default()` key is filled in). */
function outputRequiredKeys(schema: z.ZodObject): string[] {
  return Object.entries(schema.def.shape)
    .filter(([, field]) => field._zod.optout === undefined)
    .map(([key]) => key);
}

/**
 * A generator for one side. zod-to-openapi 9 has no input/output option: it decides `required`
 * in one place, `ObjectTransformer.requiredKeysOf`, with `safeParse(undefined)` — the input side
 * (a defaulted key may be omitted). For the output side that one method is replaced by zod's
 * `optout`, so a defaulted key is required in what a server sends. The generator is built per
 * call, so the replacement never leaks to another document.
 */
export function generatorFor(
  definitions: ConstructorParameters<typeof OpenApiGeneratorV31>[0],
  side: Side,
): OpenApiGeneratorV31 {
  const generator = new OpenApiGeneratorV31(definitions);
  if (side === 'output') {
    const internals = generator as unknown as {
      generator?: { openApiTransformer?: { objectTransformer?: ObjectTransformer } };
    };
    const objects = internals.generator?.openApiTransformer?.objectTransformer;
    if (typeof objects?.requiredKeysOf !== 'function') {
      throw new Error('zod-to-openapi internals changed: objectTransformer.requiredKeysOf missing');
    }
    objects.requiredKeysOf = outputRequiredKeys;
  }
  return generator;
}

type Schemas = Record<string, Json>;

/**
 * Components whose input and output sides differ, directly or through a schema they reference
 * (a fixpoint over the reference graph).
 */
function sideDependent(input: Schemas, output: Schemas): Set<string> {
  const dependent = new Set(
    Object.keys(input).filter((n) => JSON.stringify(input[n]) !== JSON.stringify(output[n])),
  );
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, schema] of Object.entries(input)) {
      if (!dependent.has(name) && [...referencedSchemas(schema)].some((r) => dependent.has(r))) {
        dependent.add(name);
        grew = true;
      }
    }
  }
  return dependent;
}

/**
 * Inline the input side of every side-dependent component `value` references. A discriminator
 * whose mapping named an inlined component is dropped: mappings can only name components, and
 * the `const` discriminator property in each branch already tells the branches apart.
 */
function inlineInputSide(
  value: Json,
  input: Schemas,
  dependent: Set<string>,
  stack: string[],
): Json {
  if (Array.isArray(value)) {
    return value.map((item) => inlineInputSide(item, input, dependent, stack));
  }
  if (!isObject(value)) {
    return value;
  }
  const name = schemaRefName(value);
  if (name !== undefined && dependent.has(name)) {
    if (stack.includes(name)) {
      throw new Error(`cannot inline the recursive request schema ${[...stack, name].join(' → ')}`);
    }
    const target = inlineInputSide(input[name] ?? {}, input, dependent, [...stack, name]);
    const { $ref: _ref, ...siblings } = value;
    return Object.keys(siblings).length === 0 ? target : { allOf: [target], ...siblings };
  }
  const rebuilt: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    rebuilt[key] = inlineInputSide(child, input, dependent, stack);
  }
  const mapping = isObject(rebuilt.discriminator) ? rebuilt.discriminator.mapping : undefined;
  if (
    isObject(mapping) &&
    Object.values(mapping).some(
      (t) => typeof t === 'string' && dependent.has(t.slice(SCHEMA_REF.length)),
    )
  ) {
    delete rebuilt.discriminator;
  }
  return rebuilt;
}

/** Component schemas reachable from the paths, through references between components. */
function reachable(paths: Json, schemas: Schemas): Set<string> {
  const seen = referencedSchemas(paths);
  const pending = [...seen];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    for (const next of referencedSchemas(schemas[name] ?? null)) {
      if (!seen.has(next)) {
        seen.add(next);
        pending.push(next);
      }
    }
  }
  return seen;
}

function field(node: Json, key: string): JsonObject {
  const value = isObject(node) ? node[key] : undefined;
  return isObject(value) ? value : {};
}

/**
 * One document from its two sides: responses and components are the output side; every
 * operation's parameters and request body are the input side, referencing a component where its
 * two sides are equal and inlining it where they differ (a request may omit a defaulted key).
 * Inlined, not a second `XInput` component: openapi-typescript (default `defaultNonNullable`)
 * makes any `default`-carrying property of a component required, and exempts only schemas under
 * `requestBody` and `parameters`. Components no path reaches any more are dropped.
 */
export function mergeSides(input: Json, output: Json): Json {
  const inSchemas = field(field(input, 'components'), 'schemas');
  const outSchemas = field(field(output, 'components'), 'schemas');
  const dependent = sideDependent(inSchemas, outSchemas);
  const inPaths = field(input, 'paths');
  const paths: JsonObject = {};
  for (const [path, item] of Object.entries(field(output, 'paths'))) {
    const operations: JsonObject = {};
    for (const [method, operation] of Object.entries(isObject(item) ? item : {})) {
      const inOperation = field(inPaths[path] ?? null, method);
      const merged: JsonObject = isObject(operation) ? { ...operation } : {};
      for (const part of ['parameters', 'requestBody']) {
        const inPart = inOperation[part];
        if (inPart !== undefined) {
          merged[part] = inlineInputSide(inPart, inSchemas, dependent, []);
        }
      }
      operations[method] = merged;
    }
    paths[path] = operations;
  }
  const used = reachable(paths, outSchemas);
  const schemas = Object.fromEntries(Object.entries(outSchemas).filter(([n]) => used.has(n)));
  const components = { ...field(output, 'components'), schemas };
  return { ...(isObject(output) ? output : {}), components, paths };
}
