import { defineProject } from 'vitest/config';

// The contract suite starts processors as child processes (tsx + boot), hence the timeout.
export default defineProject({ test: { name: 'processor-kit', testTimeout: 30_000 } });
