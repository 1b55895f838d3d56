import { servePgliteThread } from '@agentplane/backends/pglite-thread';

// The embedded database's thread (api-backends.ts starts it): PGlite off the API thread.
await servePgliteThread();
