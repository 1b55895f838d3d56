import { z } from '../common/zod.js';
import { Workload } from '../orchestratord-data/schemas.js';

// llama-orch's catalog and capabilities (reference/llama-orch-contracts/control.yaml), kept field
// for field. An entry names an engine image (apps/orchestratord README "Catalog").

/** `info.version` of the catalog surface and `api_version` of GET /v1/capabilities. */
export const CATALOG_API_VERSION = '1.0.0';

/** `default` is not an id: a task's model_ref `default` names the pool's default image's entry. */
export const CatalogModelId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits and . _ - (not first)')
  .openapi('CatalogModelId');

/** What the container engine knows an image by: its ID or a manifest digest. */
export const ImageDigest = z
  .string()
  .regex(/^sha256:[0-9a-f]{64}$/, 'sha256:<64 lowercase hex>')
  .openapi('ImageDigest');

export const CatalogModelState = z.enum(['Active', 'Retired']).openapi('CatalogModelState');
export type CatalogModelState = z.infer<typeof CatalogModelState>;

export const TrustPolicy = z
  .object({
    mode: z.enum(['strict', 'permissive']).optional(),
    allowed_registries: z.array(z.string().min(1).max(256)).max(64).optional(),
    require_signature: z.boolean().optional(),
    require_sbom: z.boolean().optional(),
    ca_roots: z.array(z.string().max(16_384)).max(16).optional(),
  })
  .openapi('TrustPolicy');
export type TrustPolicy = z.infer<typeof TrustPolicy>;

export const SignatureMeta = z
  .object({
    signer: z.string().max(256).optional(),
    algo: z.string().max(64).optional(),
    verified: z.boolean().optional(),
    timestamp_ms: z.int().nonnegative().optional(),
  })
  .openapi('SignatureMeta');

export const SBOMRef = z
  .object({ uri: z.string().max(2048).optional(), digest: z.string().max(256).optional() })
  .openapi('SBOMRef');

export const Manifest = z
  .object({ digest: z.string().max(256).optional(), size_bytes: z.int().nonnegative().optional() })
  .openapi('Manifest');

/** The engine family an image implements; ours is `agentplane`. */
export const EngineFamily = z.string().min(1).max(64).openapi('EngineFamily');

export const CatalogModel = z
  .object({
    id: CatalogModelId,
    digest: ImageDigest.describe(
      'The image’s ID or one of its manifest digests; checked on every pool at create',
    ),
    source_url: z
      .string()
      .min(1)
      .max(512)
      .optional()
      .describe('The image reference engines run (`repo@sha256:…` or `repo:tag`); default digest'),
    tags: z.array(z.string().min(1).max(128)).max(64).optional(),
    manifests: z.array(Manifest).max(64).optional(),
    signatures: z.array(SignatureMeta).max(64).optional(),
    sbom: SBOMRef.optional(),
    trust_policy: TrustPolicy.optional(),
    engine: EngineFamily.optional().describe(
      'The engine family the image implements (beyond llama-orch); default `agentplane`',
    ),
  })
  .openapi('CatalogModel');
export type CatalogModel = z.infer<typeof CatalogModel>;

/** An entry as stored: the request's fields plus its state and times. */
export const CatalogEntry = CatalogModel.extend({
  engine: EngineFamily,
  state: CatalogModelState,
  created_ms: z.int().nonnegative(),
  last_verified_ms: z
    .int()
    .nonnegative()
    .nullable()
    .describe('When the image was last found on every pool with this digest'),
}).openapi('CatalogEntry');
export type CatalogEntry = z.infer<typeof CatalogEntry>;

export const CatalogModelList = z
  .object({ models: z.array(CatalogEntry) })
  .openapi('CatalogModelList');
export type CatalogModelList = z.infer<typeof CatalogModelList>;

export const CatalogModelParams = z.object({ id: CatalogModelId });

export const SetCatalogModelStateRequest = z
  .object({
    state: CatalogModelState,
    deadline_ms: z
      .int()
      .nonnegative()
      .max(86_400_000)
      .optional()
      .describe('llama-orch’s drain deadline; accepted, not used: running engines keep running'),
  })
  .openapi('SetCatalogModelStateRequest');
export type SetCatalogModelStateRequest = z.infer<typeof SetCatalogModelStateRequest>;

export const CatalogVerification = z
  .object({
    id: CatalogModelId,
    status: z.literal('verified'),
    digest: ImageDigest,
    pools: z.array(z.string()).describe('The pools whose container engine holds the image'),
    last_verified_ms: z.int().nonnegative(),
  })
  .openapi('CatalogVerification');
export type CatalogVerification = z.infer<typeof CatalogVerification>;

export const EngineCapabilities = z
  .object({
    id: CatalogModelId.describe('The catalog entry: what a task names as model_ref'),
    engine: EngineFamily,
    digest: ImageDigest,
    state: CatalogModelState,
    ctx_max: z.int().positive().describe('The largest `ctx` a task may ask for'),
    max_tokens: z.int().positive().describe('The largest `max_tokens` a task may ask for'),
    supported_workloads: z.array(Workload),
    rate_limits: z.record(z.string(), z.unknown()),
    features: z.record(z.string(), z.unknown()),
  })
  .openapi('EngineCapabilities');
export type EngineCapabilities = z.infer<typeof EngineCapabilities>;

export const Capabilities = z
  .object({
    api_version: z.string().describe('The catalog and data planes’ contract version'),
    engines: z.array(EngineCapabilities).describe('One entry per catalog image'),
  })
  .openapi('Capabilities');
export type Capabilities = z.infer<typeof Capabilities>;
