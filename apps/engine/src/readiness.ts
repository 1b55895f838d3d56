import type { HealthResponseBody, SubsystemHealth } from '@agentplane/contracts/engine';

/** What /health reports: each subsystem's state, set once by start-up. */
export interface EngineReadiness {
  brain: SubsystemHealth;
  migrations: SubsystemHealth;
  catalog: SubsystemHealth;
  /** gateway.yaml: not ok when it was malformed at start, until a reload or set_config fixes it. */
  gateway: SubsystemHealth;
}

export function healthBody(
  readiness: EngineReadiness,
  startedAt: number,
  draining: boolean,
  version: string,
): HealthResponseBody {
  const ready =
    readiness.brain.ok && readiness.migrations.ok && readiness.catalog.ok && readiness.gateway.ok;
  return {
    status: draining ? 'draining' : ready ? 'ok' : 'degraded',
    uptime_seconds: (Date.now() - startedAt) / 1000,
    version,
    subsystems: { ...readiness },
  };
}
