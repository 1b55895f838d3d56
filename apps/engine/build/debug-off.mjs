import { dirname } from 'node:path';

/**
 * esbuild plugin: `require('debug')` (express, router, body-parser, finalhandler, send and
 * compression each create their loggers when they load) gets a shim that, unless DEBUG is set
 * when the engine starts, hands out loggers that are off and cost nothing.
 *
 * Why: the real `debug` costs ~11 ms of engine boot CPU (its module, one logger per namespace,
 * and its colour check opens process.stderr), for output we never turn on: the engine logs with
 * pino (LOG_LEVEL), and no deployment sets DEBUG. With DEBUG set the shim is the real `debug`, so
 * `DEBUG=express:* node dist/main.js` still traces exactly as before.
 */
export const debugOff = {
  name: 'debug-off',
  setup(build) {
    build.onResolve({ filter: /^debug$/ }, async (args) => {
      if (args.pluginData === 'debug-off') {
        return undefined;
      }
      // The real module, as the importer would get it (express and compression use different
      // majors), so DEBUG=… loads the same code as before.
      const real = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: 'debug-off',
      });
      if (real.errors.length > 0) {
        return { errors: real.errors };
      }
      return { path: real.path, namespace: 'debug-off' };
    });
    build.onLoad({ filter: /.*/, namespace: 'debug-off' }, (args) => ({
      contents: shim(args.path),
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};

/** `debug`'s API as the bundled packages use it: `debug(ns)(fmt, …)`, `.enabled`, `.extend`. */
function shim(realPath) {
  return `if (process.env.DEBUG) {
  module.exports = require(${JSON.stringify(realPath)});
} else {
  const createDebug = (namespace) => {
    const debug = () => {};
    debug.namespace = namespace;
    debug.enabled = false;
    debug.useColors = false;
    debug.color = 0;
    debug.diff = 0;
    debug.destroy = () => false;
    debug.extend = (sub, delimiter) =>
      createDebug(namespace + (delimiter === undefined ? ':' : delimiter) + sub);
    return debug;
  };
  createDebug.debug = createDebug;
  createDebug.default = createDebug;
  createDebug.enabled = () => false;
  createDebug.names = [];
  createDebug.skips = [];
  createDebug.formatters = {};
  module.exports = createDebug;
}
`;
}
