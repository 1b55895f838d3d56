/** What a template needs to know about the new processor. */
export interface ScaffoldVars {
  ns: string;
  name: string;
  port: number;
}

const dirName = (v: ScaffoldVars) => `${v.ns}_${v.name}`;
const pkgName = (v: ScaffoldVars) => `@agentplane/processor-${v.ns}-${v.name}`.replaceAll('_', '-');
const secretName = (v: ScaffoldVars) => `${v.ns}_${v.name}_API_KEY`.toUpperCase();

const packageJson = (v: ScaffoldVars) =>
  `${JSON.stringify(
    {
      name: pkgName(v),
      version: '0.1.0',
      private: true,
      type: 'module',
      scripts: {
        dev: 'tsx watch --clear-screen=false src/main.ts',
        build: 'node ../../../scripts/build-app.mjs',
        start: 'node dist/main.js',
        typecheck: 'tsc --noEmit -p .',
        test: 'vitest run',
      },
      dependencies: { '@agentplane/processor-kit': 'workspace:*' },
      devDependencies: { '@agentplane/tsconfig': 'workspace:*' },
    },
    null,
    2,
  )}\n`;

const registryYaml = (v: ScaffoldVars) => `ref: ${v.ns}/${v.name}@1

runtime:
  cpu: "1"
  memory_gb: 1
  timeout_s: 60
  gpu: null

# What mode=real needs (mode=mock needs nothing). Replace the example with your own, or remove it.
secrets:
  required: [${secretName(v)}]

inputs:
  $schema: "http://json-schema.org/draft-07/schema#"
  title: "${v.ns}/${v.name} inputs v1"
  type: object
  additionalProperties: false
  required: [text]
  properties:
    text: { type: string, minLength: 1, maxLength: 100000 }

outputs:
  - { path: outputs/result.json, mime: application/json, description: The result }
`;

const mainTs = (v: ScaffoldVars) => `import { startProcessor } from '@agentplane/processor-kit';
import { handler } from './handler.js';

await startProcessor({
  name: 'processor-${v.ns}-${v.name}'.replaceAll('_', '-'),
  handler,
  registry: new URL('../registry.yaml', import.meta.url),
  defaultPort: ${v.port},
});
`;

const handlerTs = () => `import type { ProcessorHandler } from '@agentplane/processor-kit';

/**
 * mock: a deterministic answer, no secrets. real: call the service your processor wraps (its
 * secrets are in ctx.env; the kit already checked they are set and that this is not CI).
 */
export const handler: ProcessorHandler = async (ctx) => {
  const text = String(ctx.inputs.text);
  ctx.progress('work', { fraction: 0 });
  const result = {
    mode: ctx.mode,
    characters: text.length,
    words: text.split(/\\s+/).filter(Boolean).length,
  };
  ctx.log.info('handler.work.ok', { characters: result.characters });
  await ctx.writeOutput('outputs/result.json', \`\${JSON.stringify(result, null, 2)}\\n\`);
  ctx.progress('work', { fraction: 1 });
};
`;

const contractTest = (v: ScaffoldVars) => `import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadRegistry } from '@agentplane/processor-kit';
import { processorContractSuite, spawnProcessor } from '@agentplane/processor-kit/contract-suite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

processorContractSuite({
  name: '${v.ns}/${v.name}@1',
  registry: loadRegistry(here('../registry.yaml')),
  exampleInputs: JSON.parse(readFileSync(here('../examples/inputs.json'), 'utf8')),
  start: (env) => spawnProcessor({ entry: here('./main.ts'), env }),
});
`;

const readme = (v: ScaffoldVars) => `# ${v.ns}/${v.name}

A processor (seeds/processors-http-contract.md) built on \`@agentplane/processor-kit\`: the kit serves
\`/healthz\`, \`/run\` and \`/run-stream\`; this package is a handler plus its \`registry.yaml\`.

- \`registry.yaml\` — ref, runtime (timeout_s), secrets for mode=real, inputs JSON Schema, outputs.
- \`src/handler.ts\` — the work: reads \`ctx.inputs\`, writes outputs with \`ctx.writeOutput\`.
- \`src/main.ts\` — starts the processor (PORT, default ${v.port}).
- \`examples/inputs.json\` — a valid \`inputs\` object, used by the contract test.

\`\`\`sh
pnpm dev      # tsx watch on port ${v.port}
pnpm test     # the shared contract suite
curl -s localhost:${v.port}/run -H 'content-type: application/json' \\
  -d '{"execution_id":"e1","write_prefix":"/tmp/{execution_id}","schema":"v1","mode":"mock","inputs":{"text":"hello"}}'
\`\`\`
`;

const tsconfig = () => `{
  "extends": "@agentplane/tsconfig/base.json",
  "include": ["src", "*.config.ts"]
}
`;

const vitestConfig = (v: ScaffoldVars) => `import { defineProject } from 'vitest/config';

// The contract suite starts the processor as child processes (tsx + boot), hence the timeout.
export default defineProject({ test: { name: 'processor-${v.ns}-${v.name}', testTimeout: 30_000 } });
`;

const exampleInputs = () => `${JSON.stringify({ text: 'Hello from a new processor.' }, null, 2)}\n`;

/** Files of a new processor, by path relative to its directory. */
export function scaffoldFiles(v: ScaffoldVars): Record<string, string> {
  return {
    'package.json': packageJson(v),
    'registry.yaml': registryYaml(v),
    'tsconfig.json': tsconfig(),
    'vitest.config.ts': vitestConfig(v),
    'README.md': readme(v),
    'examples/inputs.json': exampleInputs(),
    'src/main.ts': mainTs(v),
    'src/handler.ts': handlerTs(),
    'src/contract.int.test.ts': contractTest(v),
  };
}

export const processorDirName = dirName;
