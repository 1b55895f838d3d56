import { configDefaults, defineProject } from 'vitest/config';

// src/testing/policy holds tests that are meant to skip or fail: require-service.int.test.ts
// runs them in a child vitest with TESTKIT_POLICY_RUN=1 and checks the outcome.
const policyRun = process.env.TESTKIT_POLICY_RUN === '1';

export default defineProject({
  test: {
    name: 'testkit',
    include: policyRun ? ['src/testing/policy/*.policy.test.ts'] : configDefaults.include,
    exclude: policyRun
      ? configDefaults.exclude
      : [...configDefaults.exclude, 'src/testing/policy/**'],
    // Fixture set-up counts against the test's timeout, and a first PGlite boot plus
    // migration takes 3–4 s here on its own (more with both cores busy).
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
