import { baseServiceConfig, parseConfig } from '@agentplane/http-kit';
import { z } from 'zod';

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected a lowercase hex SHA-256 (64 chars)');

// Configuration only from the environment (seeds/engine-contract.md).
export const ConfigSchema = z.object({
  ...baseServiceConfig({ defaultPort: 8000 }),
  /** SHA-256 of the engine key; /execute and /rpc need a matching X-Engine-Key. */
  ENGINE_KEY_HASH: Sha256Hex.optional(),
  /** The brain (SQLite, WAL); default /data/brain.sqlite, a volume in containers. */
  SQLITE_DB_PATH: z.string().min(1).default('/data/brain.sqlite'),
  /** The read-only catalog: agents, skills, tools, core_soul.json; default /catalog. */
  CATALOG_DIR: z.string().min(1).default('/catalog'),
  /** Gateway config (model routing, quotas, tool allowlist); default /config/gateway.yaml. */
  GATEWAY_CONFIG_PATH: z.string().min(1).default('/config/gateway.yaml'),
});
export type Config = z.output<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  return parseConfig(ConfigSchema, env);
}
