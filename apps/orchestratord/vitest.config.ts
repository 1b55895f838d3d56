import { defineProject } from 'vitest/config';

// Integration tests start the real service process (tsx + boot), hence the longer timeout.
export default defineProject({ test: { name: 'orchestratord', testTimeout: 30_000 } });
