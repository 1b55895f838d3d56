import { benchAmApiUnderLoad } from './agent-manager/api-under-load.js';
import { benchAmFirstStep } from './agent-manager/first-step.js';
import { benchAmRag } from './agent-manager/rag.js';
import { benchAmResume } from './agent-manager/resume.js';
import { benchAmThroughput } from './agent-manager/throughput.js';
import { benchEngineBoot, benchEngineExecute } from './engine.js';
import { benchIdleRss } from './idle-rss.js';
import { benchJsonBody, benchJsonRoute } from './json-route.js';
import { benchOrchAdmit } from './orchestratord/admit.js';
import { benchOrchCrash } from './orchestratord/crash.js';
import { benchOrchProvision } from './orchestratord/provision.js';
import { benchOrchRelay } from './orchestratord/relay.js';
import { benchOrchRss } from './orchestratord/rss.js';
import { benchOrchWake } from './orchestratord/wake.js';
import { benchProcessorKitOverhead } from './processor-kit.js';
import { benchProcessorColdStart } from './processors.js';
import { benchSseWriter } from './sse-writer.js';

// `pnpm bench [name…]` runs every benchmark (or the named ones) and prints one JSON document.
const all = {
  'http-kit.json-route': benchJsonRoute,
  'http-kit.json-body': benchJsonBody,
  'http-kit.sse-writer': benchSseWriter,
  'engine.boot': benchEngineBoot,
  'engine.execute': benchEngineExecute,
  'processors.local-cold-start': benchProcessorColdStart,
  'processors.kit-overhead': benchProcessorKitOverhead,
  'orchestratord.provision': benchOrchProvision,
  'orchestratord.wake': benchOrchWake,
  'orchestratord.admit': benchOrchAdmit,
  'orchestratord.crash': benchOrchCrash,
  'orchestratord.relay': benchOrchRelay,
  'orchestratord.rss': benchOrchRss,
  'agent-manager.first-step': benchAmFirstStep,
  'agent-manager.throughput': benchAmThroughput,
  'agent-manager.resume': benchAmResume,
  'agent-manager.api-under-load': benchAmApiUnderLoad,
  'agent-manager.rag': benchAmRag,
  'idle-rss': benchIdleRss,
} as const;

const wanted = process.argv.slice(2);
const results = [];
for (const [name, run] of Object.entries(all)) {
  if (wanted.length === 0 || wanted.includes(name)) {
    results.push(await run());
  }
}
process.stdout.write(
  `${JSON.stringify({ node: process.version, cpus: (await import('node:os')).cpus().length, results }, null, 2)}\n`,
);
