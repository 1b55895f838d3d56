import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'api-fuzz',
    // Each file starts real services in beforeAll and fuzzes them there (minutes of budget in
    // total, see src/config.ts); the per-operation tests only read the collected results.
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
