import {
  type Client,
  type ClientOptions,
  createClient,
  getServiceHealth,
} from '@agentplane/contracts';

/**
 * agent-manager's operations. Only `/health` is declared so far (its document,
 * contracts/openapi/agent-manager.yaml, grows with the service); switch to the contracts' own
 * route map once they export one.
 */
export const agentManagerRoutes = { getHealth: getServiceHealth } as const;

/** One method per agent-manager operation (getHealth today). */
export type AgentManagerClient = Client<typeof agentManagerRoutes>;

/** A typed client of agent-manager; pass its future bearer key through `headers`. */
export function createAgentManagerClient(options: ClientOptions): AgentManagerClient {
  return createClient(agentManagerRoutes, options);
}
