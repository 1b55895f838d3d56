import { fileURLToPath } from 'node:url';

/**
 * The repository root, with a trailing slash (this file is packages/testkit/src/). Apps are
 * reached below it by path, to be spawned or built: the kit never imports them.
 */
export const WORKSPACE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
