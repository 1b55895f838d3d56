import { builtinModules } from 'node:module';

const BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/**
 * esbuild plugin: our sources' `import … from 'node:http'` (and every other builtin) become a
 * `require()` in the ESM bundle instead of an ESM import.
 *
 * Why: node builds an ESM facade for each builtin imported from ESM, and the facade reads every
 * export. node:http's exports include lazy getters (WebSocket, …) that load all of undici: ~20 ms
 * of a 180 ms engine boot, for nothing the engine uses. `require()` reads no export it is not
 * asked for. The names imported stay the same (esbuild's CommonJS interop).
 */
export const builtinsViaRequire = {
  name: 'builtins-via-require',
  setup(build) {
    build.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) =>
      args.kind === 'import-statement' &&
      args.namespace !== 'builtin-require' &&
      BUILTINS.has(args.path)
        ? { path: args.path, namespace: 'builtin-require' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'builtin-require' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};
