import {
  backendConfig,
  baseServiceConfig,
  parseConfig,
  refuseEmbeddedInProduction,
} from '@agentplane/http-kit';
import { z } from 'zod';

export const ConfigSchema = z
  .object({
    ...baseServiceConfig({ defaultPort: 8080 }),
    ...backendConfig,
    /** Docker or Podman API (unix:// or tcp://); absent → the process driver. */
    DOCKER_HOST: z
      .string()
      .regex(/^(unix|tcp|npipe):\/\//, 'expected unix://, tcp:// or npipe://')
      .optional(),
  })
  .superRefine(refuseEmbeddedInProduction);
export type Config = z.output<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  return parseConfig(ConfigSchema, env);
}

export function describeOrchestratorBackends(config: Config): Record<string, string> {
  return { containers: config.DOCKER_HOST === undefined ? 'process' : 'docker' };
}
