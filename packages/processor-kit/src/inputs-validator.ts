import type { ProcessorIssue } from '@agentplane/contracts';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

export type InputsValidator = (inputs: unknown) => ProcessorIssue[];

/** Compiles a draft-07 inputs schema (ajv's default draft); throws when the schema is invalid. */
export function compileInputsSchema(schema: Record<string, unknown>): ValidateFunction {
  // allErrors: ERR_INPUTS_INVALID lists every problem, not the first one.
  const ajv = new Ajv({ allErrors: true, strict: false });
  // ajv's default class is draft-07 but knows the meta-schema only by its http:// id; the seed
  // writes https://. The registry schema already checked the marker says draft-07, so drop it.
  const { $schema: _marker, ...rest } = schema;
  return ajv.compile(rest);
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
