import { GatewayConfig, type SubsystemHealth } from '@agentplane/contracts/engine';
import type { Logger } from '@agentplane/http-kit';
import { type ConfigHolder, createConfigHolder } from './config-holder.js';
import { loadGatewayConfig } from './load-gateway-config.js';

export interface GatewayStart {
  holder: ConfigHolder;
  /** The `gateway` subsystem of /health. */
  health: SubsystemHealth;
}

/**
 * Loads GATEWAY_CONFIG_PATH at start. A malformed file does not crash the engine: the holder gets
 * the defaults, /health reports the reason under `gateway` (so the orchestrator can show it), and
 * a later successful `reload` or `set_config` makes it ok.
 */
export async function startGateway(path: string, logger: Logger): Promise<GatewayStart> {
  const log = logger.child({ component: 'gateway' });
  try {
    const { config, source } = await loadGatewayConfig(path);
    if (source === 'default') {
      log.info({ path }, 'no gateway config file; using defaults');
    }
    return { holder: createConfigHolder(config, source), health: { ok: true } };
  } catch (err) {
    log.error({ err, path }, 'gateway config invalid');
    return {
      holder: createConfigHolder(GatewayConfig.parse({}), 'default'),
      // SubsystemHealth.detail is at most 1000 characters.
      health: { ok: false, detail: (err as Error).message.slice(0, 1000) },
    };
  }
}
