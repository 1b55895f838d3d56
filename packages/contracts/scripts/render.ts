import openapiTS, { astToString } from 'openapi-typescript';
import { stringify } from 'yaml';
import { buildDocument, type Surface } from '../src/openapi/surface.js';
import { surfaces } from '../src/openapi/surfaces.js';

/** Repo-relative output paths of one surface. */
export function outputPaths(surface: Pick<Surface, 'name'>): { yaml: string; types: string } {
  return {
    yaml: `contracts/openapi/${surface.name}.yaml`,
    types: `packages/contracts/src/generated/${surface.name}.ts`,
  };
}

const TYPES_HEADER = (surface: string) =>
  `// generated — do not edit. Source: contracts/openapi/${surface}.yaml; run \`pnpm gen\`.\n\n`;

/** Render one surface's YAML and its openapi-typescript types, in memory. */
export async function renderSurface(surface: Surface): Promise<Map<string, string>> {
  const paths = outputPaths(surface);
  const yaml = stringify(buildDocument(surface), {
    lineWidth: 0,
    aliasDuplicateObjects: false,
  });
  const ast = await openapiTS(yaml, { silent: true });
  const types = TYPES_HEADER(surface.name) + astToString(ast);
  return new Map([
    [paths.yaml, yaml],
    [paths.types, types],
  ]);
}

/** Render every surface: repo-relative path → file content. Pure: reads and writes no file. */
export async function renderSurfaces(
  list: readonly Surface[] = surfaces,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const surface of list) {
    for (const [path, content] of await renderSurface(surface)) {
      out.set(path, content);
    }
  }
  return out;
}

/** Paths whose current content (`undefined` = missing) differs from the rendered one. */
export function findStale(
  rendered: ReadonlyMap<string, string>,
  readFile: (path: string) => string | undefined,
): string[] {
  return [...rendered].filter(([path, content]) => readFile(path) !== content).map(([p]) => p);
}
