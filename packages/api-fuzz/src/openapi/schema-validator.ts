import { createDocumentChecker, type OpenApiDocument } from '@agentplane/testkit';
import type { Schema } from './api-document.js';

/** Validates values against request-side schemas of one document (ajv, JSON Schema 2020-12). */
export interface SchemaValidator {
  valid(schema: Schema, value: unknown): boolean;
}

// Why through testkit's response checker: it is this repository's one ajv 2020-12 set-up (the
// document's components registered once, formats on, OpenAPI keywords tolerated), and ajv is not
// a dependency of this package. A request schema is checked by planting it as the 200 response
// of a synthetic path in a copy of the document, then asking the checker for that response's
// validator. Each schema compiles once (the checker caches by schema object).
const PREFIX = '/__api-fuzz/schema/';

export function createSchemaValidator(
  doc: OpenApiDocument,
  schemas: readonly Schema[],
): SchemaValidator {
  const index = new Map<Schema, number>();
  const paths: OpenApiDocument['paths'] = {};
  for (const schema of schemas) {
    if (!index.has(schema)) {
      const i = index.size;
      index.set(schema, i);
      paths[`${PREFIX}${i}`] = {
        get: { responses: { 200: { content: { 'application/json': { schema } } } } },
      };
    }
  }
  const checker = createDocumentChecker({ ...doc, paths });
  return {
    valid(schema, value) {
      const i = index.get(schema);
      if (i === undefined) {
        throw new Error('schema not registered with the validator');
      }
      const plan = checker.plan({
        method: 'GET',
        path: `${PREFIX}${i}`,
        status: 200,
        header: (name) => (name.toLowerCase() === 'content-type' ? 'application/json' : undefined),
      });
      if (plan.kind !== 'check' || plan.body.kind !== 'json' || plan.body.validate === undefined) {
        throw new Error(`no validator for a planted schema: ${JSON.stringify(plan)}`);
      }
      return plan.body.validate(value) === true;
    },
  };
}
