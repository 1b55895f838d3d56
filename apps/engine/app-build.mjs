// The engine's additions to scripts/build-app.mjs (engine boot, issue 14); other apps have none.
import { builtinsViaRequire } from './build/builtins-via-require.mjs';
import { debugOff } from './build/debug-off.mjs';
import { lazyBodyParser } from './build/lazy-body-parser.mjs';
import { warmCompileCache } from './build/warm-compile-cache.mjs';

export const plugins = [builtinsViaRequire, debugOff, lazyBodyParser];

/** After the bundle is written: fill dist/compile-cache from one boot. */
export async function afterBuild() {
  await warmCompileCache({ appDir: '.', catalogDir: '../../catalog' });
}
