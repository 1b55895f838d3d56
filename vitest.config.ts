import { defineConfig } from 'vitest/config';

// `vitest` from the root runs every project; `pnpm test` runs each package's own through turbo.
export default defineConfig({
  test: {
    projects: [
      'apps/*/vitest.config.ts',
      'apps/processors/*/vitest.config.ts',
      'packages/*/vitest.config.ts',
    ],
  },
});
