import { type SelectedLlm, selectLlm } from '@agentplane/agent-loop';
import type { Logger } from '@agentplane/http-kit';
import { createKeySet, type KeySet } from './auth/key-set.js';
import { type ConversationStore, createConversationStore } from './brain/conversation-store.js';
import { createMemoryStore, type MemoryStore } from './brain/memory-store.js';
import { type Brain, openBrain } from './brain/open-brain.js';
import { type Catalog, loadCatalog } from './catalog/load-catalog.js';
import type { Config } from './config.js';
import type { ConfigHolder } from './gateway/config-holder.js';
import { startGateway } from './gateway/start-gateway.js';
import type { EngineReadiness } from './readiness.js';
import { createUsageStore, type UsageStore } from './usage/usage-store.js';

export interface EngineState {
  readiness: EngineReadiness;
  brain?: Brain;
  catalog?: Catalog;
  gateway: ConfigHolder;
  /** Accepted X-Engine-Key hashes (persisted in the brain when it is open). */
  keys: KeySet;
  usage?: UsageStore;
  /** The brain's conversation history (absent when the brain did not open). */
  conversations?: ConversationStore;
  memory?: MemoryStore;
  /** The LLM, chosen once here from the environment (the mock model when no key is set). */
  llm: SelectedLlm;
}

const fail = (detail: string) => ({ ok: false, detail });

/**
 * Opens the brain and loads the catalog. A failure makes /health not ok and says why in
 * `subsystems`; it never crashes the process, so the orchestrator can read the reason.
 */
export async function startEngine(config: Config, logger: Logger): Promise<EngineState> {
  const readiness: EngineReadiness = {
    brain: fail('not opened yet'),
    migrations: fail('not run yet'),
    catalog: fail('not loaded yet'),
    gateway: fail('not loaded yet'),
  };
  const gateway = await startGateway(config.GATEWAY_CONFIG_PATH, logger);
  readiness.gateway = gateway.health;
  const state: EngineState = {
    readiness,
    gateway: gateway.holder,
    keys: createKeySet(undefined, config.ENGINE_KEY_HASH),
    llm: selectLlm(config),
  };
  logger.info({ provider: state.llm.provider, base_url: state.llm.baseURL }, 'llm selected');
  try {
    state.brain = openBrain(config.SQLITE_DB_PATH);
    readiness.brain = { ok: true };
    readiness.migrations = { ok: true };
    state.keys = createKeySet(state.brain.db, config.ENGINE_KEY_HASH);
    state.usage = createUsageStore(state.brain.db);
    state.conversations = createConversationStore(state.brain.db);
    state.memory = createMemoryStore(state.brain.db);
    logger.info({ applied: state.brain.applied }, 'brain open');
  } catch (err) {
    readiness.brain = fail(`cannot open ${config.SQLITE_DB_PATH}: ${(err as Error).message}`);
    logger.error({ err }, 'brain failed');
  }
  try {
    state.catalog = await loadCatalog(config.CATALOG_DIR);
    readiness.catalog = { ok: true };
  } catch (err) {
    readiness.catalog = fail((err as Error).message);
    logger.error({ err }, 'catalog failed');
  }
  return state;
}
