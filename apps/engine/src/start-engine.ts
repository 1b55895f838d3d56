import type { Logger } from '@agentplane/http-kit';
import { type Brain, openBrain } from './brain/open-brain.js';
import { type Catalog, loadCatalog } from './catalog/load-catalog.js';
import type { Config } from './config.js';
import type { EngineReadiness } from './readiness.js';

export interface EngineState {
  readiness: EngineReadiness;
  brain?: Brain;
  catalog?: Catalog;
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
  };
  const state: EngineState = { readiness };
  try {
    state.brain = openBrain(config.SQLITE_DB_PATH);
    readiness.brain = { ok: true };
    readiness.migrations = { ok: true };
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
