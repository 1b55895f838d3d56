import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'net-guard', testTimeout: 30_000 } });
