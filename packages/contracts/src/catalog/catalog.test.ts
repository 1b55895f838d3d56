import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { AgentDefinition } from './agent-definition.js';
import { CoreSoul } from './core-soul.js';
import { CATALOG_LAYOUT } from './layout.js';
import { SkillDefinition } from './skill-definition.js';
import { ToolDefinition } from './tool-definition.js';

// The sample platform catalog at the repo root (/work/main/catalog).
const catalogDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../catalog');

function loadDir<S extends z.ZodType>(dir: string, schema: S): Map<string, z.output<S>> {
  const out = new Map<string, z.output<S>>();
  for (const file of readdirSync(join(catalogDir, dir)).sort()) {
    expect(file.endsWith(CATALOG_LAYOUT.extension), `${dir}/${file} is not JSON`).toBe(true);
    const parsed = schema.safeParse(JSON.parse(readFileSync(join(catalogDir, dir, file), 'utf8')));
    expect(parsed.error, `${dir}/${file}`).toBeUndefined();
    out.set(basename(file, CATALOG_LAYOUT.extension), parsed.data as z.output<S>);
  }
  return out;
}

describe('sample catalog', () => {
  const agents = loadDir(CATALOG_LAYOUT.agentsDir, AgentDefinition);
  const skills = loadDir(CATALOG_LAYOUT.skillsDir, SkillDefinition);
  const tools = loadDir(CATALOG_LAYOUT.toolsDir, ToolDefinition);

  it('holds the stock agents, some skills and the required tools', () => {
    expect([...agents.keys()]).toEqual(['analyst', 'coder', 'researcher', 'writer']);
    expect(skills.size).toBeGreaterThanOrEqual(3);
    for (const name of ['memory.search', 'memory.write', 'http.fetch']) {
      expect(tools.has(name), name).toBe(true);
    }
    expect([...tools.values()].some((t) => t.needs_approval)).toBe(true);
  });

  it('names every file after its id or name', () => {
    for (const [file, agent] of agents) {
      expect(agent.id).toBe(file);
    }
    for (const [file, skill] of skills) {
      expect(skill.id).toBe(file);
    }
    for (const [file, tool] of tools) {
      expect(tool.name).toBe(file);
    }
  });

  it('only references tools and skills that exist', () => {
    for (const agent of agents.values()) {
      for (const tool of agent.tools) {
        expect(tools.has(tool), `${agent.id} → tool ${tool}`).toBe(true);
      }
      for (const skill of agent.skills) {
        expect(skills.has(skill), `${agent.id} → skill ${skill}`).toBe(true);
      }
    }
    for (const skill of skills.values()) {
      for (const tool of skill.tools ?? []) {
        expect(tools.has(tool), `${skill.id} → tool ${tool}`).toBe(true);
      }
    }
  });

  it('has a valid core_soul.json', () => {
    const raw = JSON.parse(readFileSync(join(catalogDir, CATALOG_LAYOUT.coreSoulFile), 'utf8'));
    expect(CoreSoul.safeParse(raw).error).toBeUndefined();
  });
});

describe('catalog schemas', () => {
  it('reject unknown keys, bad names and inconsistent tool schemas', () => {
    const tool = {
      name: 'memory.search',
      description: 'd',
      kind: 'builtin',
      input_schema: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
    };
    expect(ToolDefinition.parse(tool)).toMatchObject({ needs_approval: false, timeout_ms: 30_000 });
    expect(ToolDefinition.safeParse({ ...tool, name: 'search' }).success).toBe(false);
    expect(ToolDefinition.safeParse({ ...tool, extra: 1 }).success).toBe(false);
    expect(ToolDefinition.safeParse({ ...tool, kind: 'http' }).success).toBe(false);
    const missing = { ...tool, input_schema: { ...tool.input_schema, required: ['x'] } };
    expect(ToolDefinition.safeParse(missing).success).toBe(false);
    const agent = { id: 'a', name: 'A', description: 'd', system_prompt: 'p' };
    expect(AgentDefinition.parse(agent)).toMatchObject({ model: 'default', tools: [], skills: [] });
    expect(AgentDefinition.safeParse({ ...agent, id: 'Bad_Id' }).success).toBe(false);
  });
});
