import { afterAll, afterEach, beforeEach, expect } from 'vitest';
import { installCheck, takeViolations } from './check-state.js';
import { formatViolations } from './response-check.js';

/**
 * vitest setup file (`setupFiles`): every response a test receives from one of our services
 * (global fetch or node:http) is checked against the document the service serves at
 * GET /openapi.json; a mismatch fails the test that received it, in this afterEach. Registered
 * before the test file's own hooks, so it runs after them (vitest's `stack` order) and also
 * sees what their clean-up requests got back.
 */
const state = installCheck();

async function assertNoViolations(): Promise<void> {
  const found = await takeViolations(state);
  state.documents.forgetOrigins();
  if (found.length > 0) {
    throw new Error(formatViolations(found));
  }
}

beforeEach(() => {
  state.currentTest = expect.getState().currentTestName;
});

afterEach(async () => {
  try {
    await assertNoViolations();
  } finally {
    state.currentTest = undefined;
  }
});

// Responses received in beforeAll/afterAll hooks, after the last afterEach.
afterAll(async () => {
  await assertNoViolations();
  if (process.env.OPENAPI_CHECK_STATS === '1') {
    // For checking the check is on: how much of a suite it saw (counts are per process).
    const { response, event } = state.counts;
    process.stderr.write(`openapi-check: ${response} responses, ${event} stream events checked\n`);
  }
});
