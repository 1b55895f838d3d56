import { servePgliteInit } from '../pglite-init.js';

// The child entry of pglite-init.test.ts (an app has its own: apps/*/src/pglite-init.ts).
await servePgliteInit();
