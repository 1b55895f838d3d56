import { defineProject } from 'vitest/config';

// Integration tests boot real engines (processes and containers) and a PGlite from scratch; on
// a loaded 2-core machine one test can take a minute without anything being wrong.
// setupFiles: every response from our services is checked against its OpenAPI document.
export default defineProject({
  test: {
    name: 'orchestratord',
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // Most of a file's time is spent waiting on boots, timers and other processes, so two files
    // at once on 2 cores cut the suite by a quarter (vitest's default there is one at a time).
    maxWorkers: 2,
    setupFiles: ['@agentplane/testkit/openapi-check/setup'],
  },
});
