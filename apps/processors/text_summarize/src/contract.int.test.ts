import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadRegistry } from '@agentplane/processor-kit';
import { processorContractSuite, spawnProcessor } from '@agentplane/processor-kit/contract-suite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

processorContractSuite({
  name: 'text/summarize@1',
  registry: loadRegistry(here('../registry.yaml')),
  exampleInputs: JSON.parse(readFileSync(here('../examples/inputs.json'), 'utf8')),
  start: (env) => spawnProcessor({ entry: here('./main.ts'), env }),
});
