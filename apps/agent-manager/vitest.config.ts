import { defineProject } from 'vitest/config';

// Integration tests start the real service process (tsx + boot), hence the longer timeout.
// setupFiles: every response from our services is checked against its OpenAPI document.
export default defineProject({
  test: {
    name: 'agent-manager',
    testTimeout: 30_000,
    setupFiles: ['@agentplane/testkit/openapi-check/setup'],
  },
});
