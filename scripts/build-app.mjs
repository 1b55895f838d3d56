// Bundles the app in the current directory (src/main.ts) into plain JS under dist/: the entry
// dist/main.js plus dist/chunks/ for modules the app imports lazily (`await import(…)`), so
// images need no install step (DESIGN §7). Run from an app's `build` script.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { build } from 'esbuild';

const result = await build({
  entryPoints: ['src/main.ts'],
  outdir: 'dist',
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  // ESM only: a dynamic import becomes its own chunk, parsed and kept in memory only once the
  // app reaches it (issue 4: a bundle is held in memory whole and parsed at start).
  splitting: true,
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  // Whitespace and comments out: the source stays resident for the process's life, and one
  // non-ASCII comment makes V8 hold all of it as UTF-16 (twice the bytes). Identifiers are kept,
  // so stack traces and `constructor.name` stay readable without the map.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: true,
  // The map only locates positions; the sources are in the repository.
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  // CommonJS dependencies inside an ESM bundle still call require() for Node's builtins.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
});

// Chunks of earlier builds (their names carry a content hash) must not end up in an image. Only
// those are removed, after the build: main.js is never missing while another build or a running
// engine reads dist/.
const written = new Set(Object.keys(result.metafile.outputs).map((path) => basename(path)));
const stale = existsSync('dist/chunks') ? readdirSync('dist/chunks', { withFileTypes: true }) : [];
for (const name of stale) {
  if (name.isFile() && !written.has(name.name)) {
    rmSync(`dist/chunks/${name.name}`);
  }
}
