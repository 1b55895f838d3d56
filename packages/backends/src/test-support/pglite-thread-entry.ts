import { servePgliteThread } from '../pglite-thread.js';

// The thread entry of threaded-pglite.test.ts (an app has its own: apps/agent-manager).
await servePgliteThread();
