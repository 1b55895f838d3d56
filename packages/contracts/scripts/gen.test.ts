import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildEngineDocument } from '../src/openapi/engine-surface.js';
import { findStale, outputPaths, renderSurfaces } from './render.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('gen', () => {
  it('renders byte-identical output twice', async () => {
    const a = await renderSurfaces();
    const b = await renderSurfaces();
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [path, content] of a) {
      expect(b.get(path) === content, path).toBe(true);
    }
    const paths = outputPaths({ name: 'engine' });
    expect(a.get(paths.types)?.startsWith('// generated — do not edit')).toBe(true);
    expect(a.get(paths.yaml)).toContain('text/event-stream');
  });

  it('reports every stale or missing file and nothing else', async () => {
    const rendered = await renderSurfaces();
    const files = new Map(rendered);
    expect(findStale(rendered, (p) => files.get(p))).toEqual([]);
    const [yaml, types] = [...rendered.keys()] as [string, string];
    files.set(yaml, `${files.get(yaml)}# edited by hand\n`);
    files.delete(types);
    expect(findStale(rendered, (p) => files.get(p))).toEqual([yaml, types]);
  });

  it('serves at runtime exactly the document written as YAML', async () => {
    const rendered = await renderSurfaces();
    const yaml = rendered.get(outputPaths({ name: 'engine' }).yaml) ?? '';
    expect(parse(yaml)).toEqual(JSON.parse(JSON.stringify(buildEngineDocument())));
  });

  it('matches the checked-in files (else run `pnpm gen`)', async () => {
    const rendered = await renderSurfaces();
    const read = (p: string) => {
      try {
        return readFileSync(join(repoRoot, p), 'utf8');
      } catch {
        return undefined;
      }
    };
    expect(findStale(rendered, read)).toEqual([]);
  });
});
