import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'event-bus', testTimeout: 30_000 } });
