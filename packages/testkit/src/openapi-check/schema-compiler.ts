import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';

// The document's components are registered once under this id; every `#/components/...` ref in
// a response schema is rewritten to point into it, so each component compiles once per document.
const DOCUMENT_ID = 'https://openapi-check.invalid/document.json';

/** Compiles the response schemas of one OpenAPI 3.1 document, each schema object once. */
export interface SchemaCompiler {
  validator(schema: object): ValidateFunction;
}

function rebased(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(rebased);
  }
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] =
      key === '$ref' && typeof inner === 'string' && inner.startsWith('#')
        ? `${DOCUMENT_ID}${inner}`
        : rebased(inner);
  }
  return out;
}

export function createSchemaCompiler(components: unknown): SchemaCompiler {
  // strict: false — OpenAPI schemas carry keywords JSON Schema does not know (discriminator,
  // example, xml); logger: false — ajv would print every unknown format on the console.
  const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false, validateSchema: false });
  // ajv-formats is CommonJS: under NodeNext its default export sits on `.default`.
  formats.default(ajv);
  ajv.addSchema({ $id: DOCUMENT_ID, components: components ?? {} });
  const compiled = new WeakMap<object, ValidateFunction>();
  return {
    validator(schema) {
      let validate = compiled.get(schema);
      if (validate === undefined) {
        validate = ajv.compile(rebased(schema) as object);
        compiled.set(schema, validate);
      }
      return validate;
    },
  };
}

const MAX_ERRORS = 8;

/** ajv errors as `"/status: must be string {"type":"string"}"`, the first few only. */
export function formatErrors(errors: readonly ErrorObject[] | null | undefined): string[] {
  const list = errors ?? [];
  const lines = list.slice(0, MAX_ERRORS).map((e) => {
    const at = e.instancePath === '' ? '(root)' : e.instancePath;
    return `${at}: ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`;
  });
  if (list.length > MAX_ERRORS) {
    lines.push(`… and ${list.length - MAX_ERRORS} more`);
  }
  return lines;
}
