import { createTestKit } from '@agentplane/testkit';
import { queueContract } from './test-support/queue-contract.js';
import { bullmqHarness } from './test-support/queue-harness.js';

// BullMQ on the real Redis at REDIS_URL, consumed by forked worker processes (as in
// production), each test under its own key prefix.
const test = createTestKit().extend('open', async ({ redis }, { onCleanup }) => {
  const harness = bullmqHarness(process.env.REDIS_URL ?? '', redis.prefix);
  onCleanup(harness.close);
  return harness.open;
});

queueContract('bullmq', test, console.info);
