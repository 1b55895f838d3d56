import { z } from '../common/zod.js';

export const ProcessorMode = z.enum(['mock', 'real']).openapi('ProcessorMode');
export type ProcessorMode = z.infer<typeof ProcessorMode>;

/** Safe as a path segment: `{execution_id}` is expanded inside write_prefix. */
export const ExecutionId = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/,
    'expected 1-128 of [A-Za-z0-9._-], not starting with . or -',
  )
  .openapi('ExecutionId');

/** The body of `POST /run` and `POST /run-stream`. */
export const ProcessorRunRequestBody = z
  .object({
    execution_id: ExecutionId,
    write_prefix: z
      .string()
      .min(1)
      .describe(
        'Absolute directory for every artifact of the run; `{execution_id}` is expanded, ' +
          '`..` segments are refused, and it must lie under PROCESSOR_ARTIFACTS_ROOT when the ' +
          'processor sets one (ERR_WRITE_PREFIX).',
      ),
    schema: z.string().min(1).describe('Version of the inputs shape, e.g. "v1"'),
    mode: ProcessorMode,
    inputs: z
      .record(z.string(), z.unknown())
      .describe('Validated against registry.yaml `inputs` (JSON Schema draft-07)'),
  })
  .openapi('ProcessorRunRequestBody');
export type ProcessorRunRequestBody = z.infer<typeof ProcessorRunRequestBody>;
