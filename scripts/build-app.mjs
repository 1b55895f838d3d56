// Bundles the app in the current directory (src/main.ts) into plain JS under dist/: the entry
// dist/main.js plus dist/chunks/ for modules the app imports lazily (`await import(…)`), so
// images need no install step (DESIGN §7). Run from an app's `build` script.
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

// An app's own additions, when it has an app-build.mjs: `plugins` (esbuild) and `afterBuild()`,
// run once the bundle is written (the engine warms its compile cache there).
const appBuild = existsSync('app-build.mjs')
  ? await import(pathToFileURL(resolve('app-build.mjs')).href)
  : {};

// zod ships ~50 locales and its namespace export keeps them all; we only ever speak English
// (error messages are part of our API), so only `en` is bundled (~2.6 MB less resident).
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: 'export { default as en } from "./en.js";',
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};

// Packages with native code, kept out of the bundle (they load files beside their own) and
// copied, with their dependencies, into dist/node_modules where the app uses them.
const NATIVE = ['usearch', 'sqlite-vec'];

const result = await build({
  plugins: [zodEnglishOnly, ...(appBuild.plugins ?? [])],
  // An app's worker processes (agent-manager's worker-main.ts) are entries of their own: the
  // service forks them beside dist/main.js.
  // So are the thread that runs its embedded PGlite (pglite-thread.ts) and its RAG store's
  // full-text thread (rag-text-thread.ts), and the child that creates an embedded database
  // (pglite-init.ts).
  entryPoints: [
    'src/main.ts',
    ...[
      'src/worker-main.ts',
      'src/pglite-thread.ts',
      'src/rag-text-thread.ts',
      'src/pglite-init.ts',
    ].filter((entry) => existsSync(entry)),
  ],
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
  // ssh2 (under dockerode) tries an optional native module and works without it. usearch and
  // sqlite-vec (agent-manager's RAG store) load native code found beside their own package
  // files, so they stay in node_modules.
  external: ['cpu-features', ...NATIVE],
  // CommonJS dependencies inside an ESM bundle still call require() for Node's builtins, and
  // some read __dirname / __filename when they load.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url); const __filename = import.meta.filename; const __dirname = import.meta.dirname;",
  },
});

// Binary assets a bundled package loads beside its own code (`new URL('x.wasm', import.meta.url)`:
// PGlite's WASM Postgres and its extensions) are copied beside the chunks that now hold that code.
const ASSET = /\.(wasm|data|tar\.gz)$/;
const assets = new Set();
for (const dir of new Set(Object.keys(result.metafile.inputs).map((input) => dirname(input)))) {
  if (!dir.includes('node_modules') || !existsSync(dir)) {
    continue;
  }
  for (const name of readdirSync(dir)) {
    if (ASSET.test(name)) {
      for (const out of ['dist', 'dist/chunks']) {
        mkdirSync(out, { recursive: true });
        copyFileSync(join(dir, name), join(out, name));
      }
      assets.add(name);
    }
  }
}

// Chunks of earlier builds (their names carry a content hash) must not end up in an image. Only
// those are removed, after the build: main.js is never missing while another build or a running
// engine reads dist/.
const written = new Set([
  ...Object.keys(result.metafile.outputs).map((path) => basename(path)),
  ...assets,
]);
const stale = existsSync('dist/chunks') ? readdirSync('dist/chunks', { withFileTypes: true }) : [];
for (const name of stale) {
  if (name.isFile() && !written.has(name.name)) {
    rmSync(`dist/chunks/${name.name}`);
  }
}

// Native externals the app depends on go beside the bundle with what they require at run time
// (dependencies and the optional platform packages installed here), so the image needs no
// install either.
// Node's lookup (node_modules of the folder and its parents), by hand: packages' `exports` may
// hide their package.json from require.resolve.
function packageDir(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) {
      return realpathSync(candidate);
    }
    if (dir === dirname(dir)) {
      return undefined;
    }
  }
}

function copyPackage(name, fromDir, seen) {
  const dir = packageDir(name, fromDir);
  // Absent: an optional dependency for another platform.
  if (dir === undefined || seen.has(dir)) {
    return;
  }
  seen.add(dir);
  cpSync(dir, join('dist/node_modules', name), { recursive: true, dereference: true });
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
    copyPackage(dep, dir, seen);
  }
}
const appPkg = JSON.parse(readFileSync('package.json', 'utf8'));
rmSync('dist/node_modules', { recursive: true, force: true });
const copied = new Set();
for (const name of NATIVE.filter((n) => appPkg.dependencies?.[n] !== undefined)) {
  copyPackage(name, resolve('.'), copied);
}

await appBuild.afterBuild?.();
