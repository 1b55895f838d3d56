import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'contracts', typecheck: { enabled: true, include: ['src/**/*.test-d.ts'] } },
});
