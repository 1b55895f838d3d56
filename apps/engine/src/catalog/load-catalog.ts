import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AgentDefinition,
  CATALOG_LAYOUT,
  CoreSoul,
  SkillDefinition,
  ToolDefinition,
} from '@agentplane/contracts/engine';
import type { z } from 'zod';

export interface Catalog {
  agents: Map<string, AgentDefinition>;
  skills: Map<string, SkillDefinition>;
  tools: Map<string, ToolDefinition>;
  soul: CoreSoul;
}

/** A catalog that failed to load: health reports `reason`; the engine keeps running. */
export class CatalogError extends Error {
  override name = 'CatalogError';
}

async function readJson<S extends z.ZodType>(file: string, schema: S): Promise<z.output<S>> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new CatalogError(`${file}: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CatalogError(`${file}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return parsed.data;
}

async function readDir<S extends z.ZodType>(
  dir: string,
  schema: S,
  key: (item: z.output<S>) => string,
): Promise<Map<string, z.output<S>>> {
  const names = (await readdir(dir)).filter((n) => n.endsWith(CATALOG_LAYOUT.extension)).sort();
  const items = new Map<string, z.output<S>>();
  for (const name of names) {
    const item = await readJson(join(dir, name), schema);
    items.set(key(item), item);
  }
  return items;
}

function checkReferences(
  agents: Catalog['agents'],
  skills: Catalog['skills'],
  tools: Catalog['tools'],
): void {
  for (const agent of agents.values()) {
    const missing = [
      ...agent.tools.filter((t) => !tools.has(t)).map((t) => `tool ${t}`),
      ...agent.skills.filter((s) => !skills.has(s)).map((s) => `skill ${s}`),
    ];
    if (missing.length > 0) {
      throw new CatalogError(`agent ${agent.id} refers to unknown ${missing.join(', ')}`);
    }
  }
}

/** Reads and validates the whole catalog (read-only: nothing is ever written back). */
export async function loadCatalog(dir: string): Promise<Catalog> {
  const at = (sub: string) => join(dir, sub);
  try {
    const [agents, skills, tools, soul] = await Promise.all([
      readDir(at(CATALOG_LAYOUT.agentsDir), AgentDefinition, (a) => a.id),
      readDir(at(CATALOG_LAYOUT.skillsDir), SkillDefinition, (s) => s.id),
      readDir(at(CATALOG_LAYOUT.toolsDir), ToolDefinition, (t) => t.name),
      readJson(at(CATALOG_LAYOUT.coreSoulFile), CoreSoul),
    ]);
    checkReferences(agents, skills, tools);
    return { agents, skills, tools, soul };
  } catch (err) {
    if (err instanceof CatalogError) {
      throw err;
    }
    throw new CatalogError(`${dir}: ${(err as Error).message}`);
  }
}
