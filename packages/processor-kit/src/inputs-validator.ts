import type { ProcessorIssue } from '@agentplane/contracts';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

export type InputsValidator = (inputs: unknown) => ProcessorIssue[];

let metaChecker: Ajv | undefined;
const compiled = new WeakMap<object, ValidateFunction>();

/**
 * Compiles a draft-07 inputs schema (ajv's default draft); throws when the schema is invalid.
 * Once per schema object: the registry loader checks the schema and the app then uses it. The
 * schema is checked against the draft-07 meta-schema by one shared Ajv, which compiles that
 * meta-schema once; a new Ajv per compile would compile it again each time (most of a
 * processor's start-up). Each schema still gets its own Ajv, so two schemas with one `$id` never
 * clash.
 */
export function compileInputsSchema(schema: Record<string, unknown>): ValidateFunction {
  const known = compiled.get(schema);
  if (known !== undefined) {
    return known;
  }
  // ajv's default class is draft-07 but knows the meta-schema only by its http:// id; the seed
  // writes https://. The registry schema already checked the marker says draft-07, so drop it.
  const { $schema: _marker, ...rest } = schema;
  metaChecker ??= new Ajv({ allErrors: true, strict: false });
  if (!metaChecker.validateSchema(rest)) {
    throw new Error(metaChecker.errorsText(metaChecker.errors));
  }
  // allErrors: ERR_INPUTS_INVALID lists every problem, not the first one.
  const validate = new Ajv({ allErrors: true, strict: false, validateSchema: false }).compile(rest);
  compiled.set(schema, validate);
  return validate;
}

function issueOf(err: ErrorObject): ProcessorIssue {
  const params = err.params as Record<string, unknown>;
  let path = `/inputs${err.instancePath}`;
  if (err.keyword === 'required' && typeof params.missingProperty === 'string') {
    path = `${path}/${params.missingProperty}`;
  } else if (
    err.keyword === 'additionalProperties' &&
    typeof params.additionalProperty === 'string'
  ) {
    path = `${path}/${params.additionalProperty}`;
  }
  return { path, message: err.message ?? err.keyword };
}

/** A validator answering every problem of `inputs` as issues (empty = valid). */
export function createInputsValidator(schema: Record<string, unknown>): InputsValidator {
  const validate = compileInputsSchema(schema);
  return (inputs) => (validate(inputs) ? [] : (validate.errors ?? []).map(issueOf));
}
