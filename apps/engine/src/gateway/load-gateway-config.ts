import { readFile } from 'node:fs/promises';
import { GatewayConfig } from '@agentplane/contracts/engine';

/** A gateway.yaml that cannot be used: unreadable, not YAML, or failing the contract's schema. */
export class GatewayConfigError extends Error {
  override name = 'GatewayConfigError';
  /** One entry per problem, `path: message` with the zod path (`quotas.tokens_per_day: …`). */
  readonly issues: string[];

  constructor(path: string, issues: string[]) {
    super(`${path}: ${issues.join('; ')}`);
    this.issues = issues;
  }
}

export interface LoadedGatewayConfig {
  config: GatewayConfig;
  /** `default` when the file does not exist (a missing file is a valid, empty config). */
  source: 'file' | 'default';
}

/** Validates an already-parsed document; every issue is named by its field path. */
export function parseGatewayConfig(doc: unknown, origin: string): GatewayConfig {
  // An empty YAML document parses to null: treat it as `{}` (all defaults), like a missing file.
  const parsed = GatewayConfig.safeParse(doc ?? {});
  if (!parsed.success) {
    throw new GatewayConfigError(
      origin,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  return parsed.data;
}

/**
 * Reads GATEWAY_CONFIG_PATH. A missing file gives the defaults (an engine without a mounted
 * config is a normal dev set-up); anything else that is wrong throws GatewayConfigError, which
 * start-up turns into a not-ok `gateway` subsystem and `reload` into 422 CONFIG_INVALID.
 */
export async function loadGatewayConfig(path: string): Promise<LoadedGatewayConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return { config: GatewayConfig.parse({}), source: 'default' };
    }
    throw new GatewayConfigError(path, [`cannot read: ${(err as Error).message}`]);
  }
  // Loaded only when there is a file to parse: the engine without a mounted config (the usual
  // dev and bench set-up) never holds the parser's code (issue: idle RSS).
  const { parse: parseYaml } = await import('yaml');
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new GatewayConfigError(path, [`not valid YAML: ${(err as Error).message}`]);
  }
  return { config: parseGatewayConfig(doc, path), source: 'file' };
}
