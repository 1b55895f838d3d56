import type { AdmitDeps } from '../admission/admit.js';
import type { EngineRepo, EngineRow } from '../fleet/engine-repo.js';
import type { EngineView } from '../fleet/engine-view.js';
import type { Lifecycle } from '../fleet/lifecycle.js';
import type { StateWatch } from '../fleet/state-watch.js';

/** What the /engines routes use (the orchestrator provides all of it). */
export interface EngineRouteDeps extends AdmitDeps {
  repo: EngineRepo;
  lifecycle: Lifecycle;
  view: EngineView;
  watch: StateWatch;
}

/** The body of start, stop and sleep: the engine after the transition. */
export function lifecycleBody(view: EngineView, row: EngineRow) {
  return { engine_id: row.id, user_id: row.user_id, status: row.status, url: view.urlOf(row) };
}
