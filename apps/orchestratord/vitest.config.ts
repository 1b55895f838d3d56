import { defineProject } from 'vitest/config';

// Integration tests boot real engines (processes and containers) and a PGlite from scratch; on
// a loaded 2-core machine one test can take a minute without anything being wrong.
// setupFiles: every response from our services is checked against its OpenAPI document.
export default defineProject({
  test: {
    name: 'orchestratord',
    testTimeout: 180_000,
    hookTimeout: 180_000,
    setupFiles: ['@agentplane/testkit/openapi-check/setup'],
  },
});
