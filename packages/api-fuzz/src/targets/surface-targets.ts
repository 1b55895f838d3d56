import { startAgentManagerTarget } from './agent-manager-target.js';
import { startEngineTarget } from './engine-target.js';
import type { FuzzTarget } from './fuzz-target.js';
import { startOrchestratordCatalogTarget } from './orchestratord-catalog-target.js';
import { startOrchestratordDataTarget } from './orchestratord-data-target.js';
import { startOrchestratordTarget } from './orchestratord-target.js';
import { startProcessorTarget } from './processor-target.js';

type Starters = Readonly<Record<string, () => Promise<FuzzTarget>>>;

/**
 * The running services that serve each surface's document, by target name. Every surface must
 * be here and have its `src/<surface>-fuzz.int.test.ts` (surface-targets.test.ts checks both):
 * a new document is fuzzed once it names the service that serves it.
 */
export const SURFACE_TARGETS: Readonly<Record<string, Starters>> = {
  engine: { engine: startEngineTarget },
  'orchestratord-control': { orchestratord: startOrchestratordTarget },
  'orchestratord-data': { 'orchestratord-data': startOrchestratordDataTarget },
  'orchestratord-catalog': { 'orchestratord-catalog': startOrchestratordCatalogTarget },
  processor: {
    text_summarize: () => startProcessorTarget('text_summarize'),
    doc_extract: () => startProcessorTarget('doc_extract'),
  },
  'agent-manager': { 'agent-manager': startAgentManagerTarget },
};
