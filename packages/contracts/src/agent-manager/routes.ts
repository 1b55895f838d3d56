import { getServiceHealth } from '../common/service-health.js';

/** Every agent-manager operation, keyed by operationId; it grows with the agents API (issue 12). */
export const agentManagerRoutes = {
  getHealth: getServiceHealth,
} as const;
export type AgentManagerRoutes = typeof agentManagerRoutes;
