import {
  backendConfig,
  baseServiceConfig,
  parseConfig,
  refuseEmbeddedInProduction,
} from '@agentplane/http-kit';
import { z } from 'zod';

export const ConfigSchema = z
  .object({
    ...baseServiceConfig({ defaultPort: 3000 }),
    ...backendConfig,
  })
  .superRefine(refuseEmbeddedInProduction);
export type Config = z.output<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  return parseConfig(ConfigSchema, env);
}
