import { readFile } from 'node:fs/promises';

/**
 * esbuild plugin: body-parser's index loads each parser (json, raw, text, urlencoded) only when
 * the app first creates one, instead of all four when express loads (express re-exports them as
 * `express.json`, … and so requires body-parser at start).
 *
 * Why: with its parsers come raw-body, iconv-lite, type-is's body checks and qs: ~20 ms of engine
 * boot CPU for code no request has needed yet. The engine creates one parser, `express.raw`, and
 * only when the first request with a body arrives (http-kit `jsonBodyReader`). Each export is a
 * function of the same name and arity calling the real parser factory, so what a caller gets
 * back is the real middleware.
 */
const TYPE_EXPORT = /^exports\.(json|raw|text|urlencoded) = require\('(\.\/lib\/types\/\w+)'\)$/gm;

export const lazyBodyParser = {
  name: 'lazy-body-parser',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]body-parser[\\/]index\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      let found = 0;
      const contents = source.replace(TYPE_EXPORT, (_line, name, path) => {
        found += 1;
        return `exports.${name} = function ${name} (options) { return require('${path}')(options) }`;
      });
      // A body-parser that changed its index (a new parser, another layout) fails the build
      // rather than shipping an index this plugin half rewrote.
      if (found !== 4) {
        return {
          errors: [{ text: `lazy-body-parser: expected 4 parser exports, found ${found}` }],
        };
      }
      return { contents, loader: 'js' };
    });
  },
};
