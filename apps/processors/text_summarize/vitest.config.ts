import { defineProject } from 'vitest/config';

// The contract suite starts the processor as child processes (tsx + boot), hence the timeout.
export default defineProject({ test: { name: 'processor-text-summarize', testTimeout: 30_000 } });
