import { defineProject } from 'vitest/config';

// Integration tests start the real service process (tsx + boot), hence the longer timeout.
// setupFiles: every response from our services is checked against its OpenAPI document.
export default defineProject({
  test: {
    name: 'agent-manager',
    testTimeout: 30_000,
    // Most of a file's time is spent waiting on boots, timers and other processes, so two files
    // at once on 2 cores cut the suite by a quarter (vitest's default there is one at a time).
    maxWorkers: 2,
    setupFiles: ['@agentplane/testkit/openapi-check/setup'],
  },
});
