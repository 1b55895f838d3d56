import { test as base } from 'vitest';
import { queueContract } from './test-support/queue-contract.js';
import { memoryHarness } from './test-support/queue-harness.js';

// The in-process queue in this (API) process, consumed by forked worker processes.
// biome-ignore lint/correctness/noEmptyPattern: vitest reads the first parameter as a destructuring pattern to find dependencies
const test = base.extend('open', async ({}, { onCleanup }) => {
  const harness = memoryHarness();
  onCleanup(harness.close);
  return harness.open;
});

queueContract('in-process', test, console.info);
