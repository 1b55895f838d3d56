import { defineProject } from 'vitest/config';

// The contract suite starts the processor as child processes (tsx + boot), hence the timeout.
// setupFiles: every response from our services is checked against its OpenAPI document.
export default defineProject({
  test: {
    name: 'processor-text-summarize',
    testTimeout: 30_000,
    setupFiles: ['@agentplane/testkit/openapi-check/setup'],
  },
});
