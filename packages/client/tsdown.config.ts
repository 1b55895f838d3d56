import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { defineConfig } from 'tsdown';

// dist/ is the published package: the bundle, its declarations, README.md and a package.json
// written here. The workspace package.json never ships: it names workspace-only and build-time
// packages (@agentplane/contracts is private and exports TypeScript source).

interface Manifest {
  version: string;
  description?: string;
  dependencies?: Record<string, string>;
}

const readManifest = (path: string) =>
  JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as Manifest;

const own = readManifest('./package.json');
// The clients are the contracts, compiled: the published version is the contracts' version.
const { version } = readManifest('../contracts/package.json');

const published = {
  name: '@agentplane/client',
  version,
  description: own.description,
  type: 'module',
  exports: {
    '.': { types: './index.d.mts', import: './index.mjs' },
    './package.json': './package.json',
  },
  types: './index.d.mts',
  // The repository's licence (LICENSE at its root, copied beside the bundle), as the OpenAPI
  // documents declare it too.
  license: 'Apache-2.0',
  engines: { node: '>=20' },
  // zod stays the product's (one instance, so `instanceof` and schemas interoperate).
  dependencies: { zod: own.dependencies?.zod },
};

// The contracts' schemas call `.openapi()` as they load, so the bundle runs zod-to-openapi's
// `extendZodWithOpenApi` on the product's zod. That copy keeps metadata in a registry of its own:
// left on the prototype, it would shadow a product's own zod-to-openapi (whose extension skips a
// zod already extended), and the product's generated documents would silently lose every schema.
// So the bundle takes the method off again once its schemas are built, unless it was there first.
const leaveZodAsFound = {
  banner: [
    "import { z as __zod } from 'zod';",
    "const __zodHadOpenapi = typeof __zod.ZodType.prototype.openapi !== 'undefined';",
  ].join('\n'),
  footer: 'if (!__zodHadOpenapi) delete __zod.ZodType.prototype.openapi;',
};

const OPENAPI_IMPORT = 'import "@asteasolutions/zod-to-openapi";\n';

/**
 * zod-to-openapi's types declare `.openapi()` on every zod schema, true only where a product
 * extends zod itself (the bundle leaves zod as it found it): the declarations must not carry
 * that augmentation, nor import a package the product may not have. Fails the build if the
 * bundle or the declarations reach zod-to-openapi any other way.
 */
function dropOpenapiAugmentation(): void {
  const dts = readFileSync('dist/index.d.mts', 'utf8');
  const stripped = dts.replace(OPENAPI_IMPORT, '');
  const js = readFileSync('dist/index.mjs', 'utf8');
  if (stripped.includes('zod-to-openapi') || /^import[^\n]*zod-to-openapi/m.test(js)) {
    throw new Error('dist/ still imports @asteasolutions/zod-to-openapi');
  }
  writeFileSync('dist/index.d.mts', stripped);
}

export default defineConfig({
  entry: ['src/index.ts'],
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outDir: 'dist',
  clean: true,
  dts: {
    // Reached through node_modules, the contracts' sources count as an external library, whose
    // declarations tsc never emits; a path mapping makes them part of this program.
    compilerOptions: { paths: { '@agentplane/contracts': ['../contracts/src/index.ts'] } },
  },
  banner: { js: leaveZodAsFound.banner },
  footer: { js: leaveZodAsFound.footer },
  define: { __AGENTPLANE_CLIENT_VERSION__: JSON.stringify(version) },
  // zod-to-openapi has no `exports`; its `module` build is ESM (tree-shaken), `main` is CJS.
  inputOptions: { resolve: { mainFields: ['module', 'main'] } },
  deps: {
    neverBundle: ['zod'],
    // The contracts' schemas call `.openapi()` as they load, so zod-to-openapi's extension must
    // run first; bundled, only `extendZodWithOpenApi` and its metadata registry remain (~13 KB),
    // not the document generator, openapi3-ts or yaml a dependency would install.
    alwaysBundle: ['@agentplane/contracts', '@asteasolutions/zod-to-openapi'],
    // A build fails if anything else from node_modules is bundled, or imported at run time.
    onlyBundle: ['@asteasolutions/zod-to-openapi'],
    // The declarations import zod-to-openapi for its `declare module 'zod'` augmentation alone;
    // build:done removes that import (see dropOpenapiAugmentation).
    onlyImport: ['zod', '@asteasolutions/zod-to-openapi'],
    dts: { neverBundle: ['@asteasolutions/zod-to-openapi'] },
  },
  hooks: {
    'build:done': () => {
      dropOpenapiAugmentation();
      writeFileSync('dist/package.json', `${JSON.stringify(published, null, 2)}\n`);
      copyFileSync('README.md', 'dist/README.md');
      copyFileSync('../../LICENSE', 'dist/LICENSE');
    },
  },
});
