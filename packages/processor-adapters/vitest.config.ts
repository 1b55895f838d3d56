import { defineProject } from 'vitest/config';

// Container tests build images (cached by content hash) and start containers: allow for a cold
// image build on a 2-core machine.
// setupFiles: every response from our services is checked against its OpenAPI document.
export default defineProject({
  test: {
    name: 'processor-adapters',
    testTimeout: 180_000,
    hookTimeout: 240_000,
    setupFiles: ['@agentplane/testkit/openapi-check/setup'],
  },
});
