import { servePgliteInit } from '@agentplane/backends/pglite-init';

// The embedded database's first start (api-backends.ts): initdb in a child process of its own.
await servePgliteInit();
