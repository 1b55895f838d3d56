import {
  type AgentManagerRoutes,
  agentManagerRoutes,
  type Client,
  type ClientOptions,
  createClient,
} from '@agentplane/contracts';

/** One method per agent-manager operation (getHealth today; the agents API grows it). */
export type AgentManagerClient = Client<AgentManagerRoutes>;

/** A typed client of agent-manager; pass its future bearer key through `headers`. */
export function createAgentManagerClient(options: ClientOptions): AgentManagerClient {
  return createClient(agentManagerRoutes, options);
}
