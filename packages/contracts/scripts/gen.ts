// `pnpm gen` writes contracts/openapi/<surface>.yaml and src/generated/<surface>.ts;
// `pnpm gen --check` writes nothing and exits 1 listing every stale or missing file.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findStale, renderSurfaces } from './render.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(join(repoRoot, path), 'utf8');
  } catch {
    return undefined;
  }
}

const rendered = await renderSurfaces();

if (process.argv.includes('--check')) {
  const stale = findStale(rendered, readOrUndefined);
  if (stale.length > 0) {
    console.error(
      `generated files are stale or missing:\n${stale.map((p) => `  ${p}`).join('\n')}`,
    );
    console.error('fix: pnpm gen');
    process.exit(1);
  }
  console.error(`generated files are up to date (${rendered.size} files)`);
} else {
  for (const [path, content] of rendered) {
    const abs = join(repoRoot, path);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
  console.error(`wrote ${rendered.size} files: ${[...rendered.keys()].join(', ')}`);
}
