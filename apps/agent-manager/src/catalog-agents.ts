import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AgentDefinition, CATALOG_LAYOUT } from '@agentplane/contracts';

/** The catalog's agents by id: `agent` on a create names one; its system prompt leads each run. */
export type CatalogAgents = ReadonlyMap<string, AgentDefinition>;

/**
 * Reads `<dir>/agents/*.json` (the engine's catalog layout). A file that does not parse stops the
 * start with its name: a catalog typo must not surface as agents without their prompt.
 */
export async function loadCatalogAgents(dir: string | undefined): Promise<CatalogAgents> {
  const agents = new Map<string, AgentDefinition>();
  if (dir === undefined) {
    return agents;
  }
  const folder = join(dir, CATALOG_LAYOUT.agentsDir);
  for (const name of (await readdir(folder)).filter((file) => file.endsWith('.json')).sort()) {
    const file = join(folder, name);
    const parsed = AgentDefinition.safeParse(JSON.parse(await readFile(file, 'utf8')));
    if (!parsed.success) {
      throw new Error(
        `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    agents.set(parsed.data.id, parsed.data);
  }
  return agents;
}
