import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type ProcessorRegistry, parseProcessorRef } from '@agentplane/contracts';
import { loadRegistry } from '@agentplane/processor-kit';

/** The checkout containing `from`: the nearest directory up with a pnpm-workspace.yaml. */
export function findRepoRoot(from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) {
      return dir;
    }
    if (dirname(dir) === dir) {
      return undefined;
    }
  }
}

/** `text/summarize@1` → `<processorsDir>/text_summarize/registry.yaml` (DESIGN §2's layout). */
export function registryPathFor(ref: string, processorsDir: string): string {
  const { ns, name } = parseProcessorRef(ref);
  return join(processorsDir, `${ns}_${name}`, 'registry.yaml');
}

/** Loads the registry.yaml of `ref` and checks it describes that ref, version included. */
export function loadRegistryFor(ref: string, processorsDir: string): ProcessorRegistry {
  const path = registryPathFor(ref, processorsDir);
  const registry = loadRegistry(path);
  if (registry.ref !== ref) {
    throw new Error(`${path} describes ${registry.ref}, not ${ref}`);
  }
  return registry;
}
