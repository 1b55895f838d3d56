import { baseServiceConfig, IntEnv, parseConfig } from '@agentplane/http-kit';
import { z } from 'zod';

// CI systems set CI to "true", "1" or their own name; only unset, "", "false" and "0" mean no.
const CiEnv = z
  .string()
  .optional()
  .transform((v) => v !== undefined && !['', 'false', '0'].includes(v.trim().toLowerCase()));

const NonNegativeIntEnv = IntEnv.pipe(z.number().int().nonnegative());

/** What the kit reads from a processor's environment (each processor passes its own port). */
export function processorConfigSchema(defaultPort: number) {
  return z.object({
    ...baseServiceConfig({ defaultPort }),
    /** Set by CI systems; mode=real is refused (ERR_CI_SAFETY) when it is. Default unset. */
    CI: CiEnv,
    /**
     * The digest of the running image (`sha256:…`), set by whoever starts the container (the
     * LocalAdapter passes the digest it pinned; a remote deployment sets it at deploy). An image
     * cannot carry its own digest, which only exists once it is built. Default "unknown".
     */
    IMAGE_DIGEST: z.string().min(1).default('unknown'),
    /** When set, every write_prefix must lie under this directory. Default: any absolute path. */
    PROCESSOR_ARTIFACTS_ROOT: z.string().min(1).optional(),
    /** registry.yaml to load; default the one beside the app (../registry.yaml from main). */
    PROCESSOR_REGISTRY: z.string().min(1).optional(),
    /** Overrides runtime.timeout_s with a deadline in ms (tests, tighter deployments). */
    PROCESSOR_TIMEOUT_MS: IntEnv.pipe(z.number().int().positive()).optional(),
    /**
     * mode=mock only: wait this long before the handler, abortable by the deadline (latency
     * simulation for adapter tests, benches and the timeout contract test). Default 0.
     */
    PROCESSOR_MOCK_DELAY_MS: NonNegativeIntEnv.default(0),
  });
}

export type ProcessorConfig = z.output<ReturnType<typeof processorConfigSchema>>;

/** Parses `env` once (throws ConfigError naming every bad variable). */
export function loadProcessorConfig(
  env: Readonly<Record<string, string | undefined>>,
  defaultPort: number,
): ProcessorConfig {
  return parseConfig(processorConfigSchema(defaultPort), env);
}
