import { z } from '../common/zod.js';

/** `ns/name@version`, e.g. `text/summarize@1`; ns and name are lower snake case. */
export const ProcessorRef = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]*\/[a-z][a-z0-9_]*@[0-9]+$/,
    'expected ns/name@version, e.g. text/summarize@1',
  )
  .openapi('ProcessorRef');
export type ProcessorRef = z.infer<typeof ProcessorRef>;

/** An image reference pinned by digest: `repo/image@sha256:<64 hex>`. */
export const PinnedImage = z
  .string()
  .regex(/^[^\s@]+@sha256:[a-f0-9]{64}$/, 'expected an image pinned by digest (name@sha256:…)');

export const ProcessorImage = z
  .object({
    platforms: z
      .object({ amd64: PinnedImage.optional(), arm64: PinnedImage.optional() })
      .strict()
      .describe('Image per platform, pinned by digest (amd64 is the one deployed remotely)'),
    default_platform: z.enum(['amd64', 'arm64']).default('amd64'),
  })
  .strict()
  .openapi('ProcessorImage');
export type ProcessorImage = z.infer<typeof ProcessorImage>;

export const ProcessorRuntime = z
  .object({
    cpu: z.string().regex(/^[0-9]+(\.[0-9]+)?$/, 'expected a CPU count such as "1" or "0.5"'),
    memory_gb: z.number().positive(),
    timeout_s: z
      .int()
      .positive()
      .describe('Deadline of one /run; past it the run ends ERR_TIMEOUT'),
    gpu: z.string().min(1).nullable().default(null),
  })
  .strict()
  .openapi('ProcessorRuntime');
export type ProcessorRuntime = z.infer<typeof ProcessorRuntime>;

const EnvName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'expected an environment variable name');

export const ProcessorSecrets = z
  .object({
    required: z.array(EnvName).default([]).describe('Every one must be set for mode=real'),
    one_of: z
      .array(EnvName)
      .default([])
      .describe(
        'When not empty, at least one must be set for mode=real (e.g. alternative LLM keys)',
      ),
  })
  .strict()
  .openapi('ProcessorSecrets');
export type ProcessorSecrets = z.infer<typeof ProcessorSecrets>;

/** A JSON Schema (draft-07) object; the kit compiles it with ajv, which reports its own errors. */
export const JsonSchemaObject = z
  .record(z.string(), z.unknown())
  .refine((s) => s.type === 'object', { message: 'the inputs schema must have type: object' })
  .refine((s) => s.$schema === undefined || String(s.$schema).includes('draft-07'), {
    message: 'the inputs schema must be JSON Schema draft-07',
  });

export const ProcessorOutputDecl = z
  .object({
    path: z
      .string()
      .regex(
        /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/,
        'expected a relative path such as outputs/x.txt',
      )
      .refine((p) => !p.split('/').includes('..'), { message: 'must not contain ..' }),
    mime: z.string().min(1),
    description: z.string().default(''),
  })
  .strict()
  .openapi('ProcessorOutputDecl');
export type ProcessorOutputDecl = z.infer<typeof ProcessorOutputDecl>;

/**
 * A processor's `registry.yaml` (seed §3): the single source of truth for its ref, image digests,
 * runtime limits, secrets, inputs JSON Schema and declared outputs. `image` is absent until an
 * image has been built and recorded.
 */
export const ProcessorRegistry = z
  .object({
    ref: ProcessorRef,
    image: ProcessorImage.optional(),
    runtime: ProcessorRuntime,
    secrets: ProcessorSecrets.default({ required: [], one_of: [] }),
    inputs: JsonSchemaObject,
    outputs: z.array(ProcessorOutputDecl).min(1),
    build: z.record(z.string(), z.unknown()).optional().describe('Docker context, build args'),
  })
  .strict()
  .openapi('ProcessorRegistry');
export type ProcessorRegistry = z.infer<typeof ProcessorRegistry>;

/** `{ns, name, version}` of a ref; throws on a malformed one. */
export function parseProcessorRef(ref: string): { ns: string; name: string; version: number } {
  const parsed = ProcessorRef.parse(ref);
  const [path = '', version = ''] = parsed.split('@');
  const [ns = '', name = ''] = path.split('/');
  return { ns, name, version: Number(version) };
}
