import { defineProject } from 'vitest/config';

// setupFiles: every response from our services is checked against its OpenAPI document.
export default defineProject({
  test: { name: 'client', setupFiles: ['@agentplane/testkit/openapi-check/setup'] },
});
