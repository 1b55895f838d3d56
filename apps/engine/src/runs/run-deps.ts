import type { Logger, Metrics, ShutdownRegistry } from '@agentplane/http-kit';
import type { Config } from '../config.js';
import type { HitlRegistry } from '../hitl/hitl-registry.js';
import type { EngineState } from '../start-engine.js';
import { createEngineTools } from '../tools/engine-tools.js';
import type { RunDeps } from './run-types.js';

/**
 * The run manager's deps from the config and the started engine: the built-in tools (when the
 * brain and catalog are up) and human approval through `hitl`. Shared by main.ts and the tests
 * so both run the same wiring.
 */
export function runDepsFrom(
  config: Config,
  engine: EngineState,
  infra: { logger: Logger; metrics: Metrics; shutdown: ShutdownRegistry; hitl?: HitlRegistry },
): RunDeps {
  const { hitl, ...rest } = infra;
  const tools =
    engine.memory && engine.catalog
      ? createEngineTools({ memory: engine.memory, catalog: engine.catalog, logger: infra.logger })
      : undefined;
  return {
    ...rest,
    ...(tools ? { tools } : {}),
    ...(hitl ? { approver: (ctx) => hitl.approver(ctx) } : {}),
    readiness: engine.readiness,
    gateway: engine.gateway,
    conversations: engine.conversations,
    usage: engine.usage,
    catalog: engine.catalog,
    llm: engine.llm.client,
    replayTtlMs: config.ENGINE_REPLAY_TTL_S * 1000,
    maxFinishedRuns: config.ENGINE_REPLAY_MAX_RUNS,
    heartbeatMs: config.ENGINE_HEARTBEAT_MS,
    maxEventsPerTurn: config.ENGINE_MAX_EVENTS_PER_TURN,
    // Every event is parsed with the contract's schema except in production (hot path).
    validateEvents: config.NODE_ENV !== 'production',
  };
}
