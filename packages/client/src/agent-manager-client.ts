import {
  type AgentManagerRoutes,
  agentManagerRoutes,
  type Client,
  type ClientOptions,
  createClient,
} from '@agentplane/contracts';

/** One method per agent-manager operation: agents, their events, tools, workers, the bus. */
export type AgentManagerClient = Client<AgentManagerRoutes>;

/** A typed client of agent-manager; pass `authorization: Bearer <key>` (and `x-admin-key` for workers) through `headers`. */
export function createAgentManagerClient(options: ClientOptions): AgentManagerClient {
  return createClient(agentManagerRoutes, options);
}
