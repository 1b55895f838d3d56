import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { WORKSPACE_ROOT } from './workspace-root.js';

// No test-runner imports here: benchmarks use it too (`@agentplane/testkit/workspace-builds`).

const run = promisify(execFile);

/** Bundles an app (`scripts/build-app.mjs` in apps/<app>, what its `build` runs); the entry's path. */
export async function buildAppBundle(app: string): Promise<string> {
  await run(process.execPath, ['../../scripts/build-app.mjs'], {
    cwd: `${WORKSPACE_ROOT}apps/${app}`,
    timeout: 120_000,
  });
  return `${WORKSPACE_ROOT}apps/${app}/dist/main.js`;
}

/** `scripts/build-image.sh <app>` (bundle, then the image); the digest-pinned reference. */
export async function buildAppImage(app: string): Promise<string> {
  const { stdout } = await run('bash', ['scripts/build-image.sh', app], {
    cwd: WORKSPACE_ROOT,
    timeout: 240_000,
  });
  const ref = stdout.trim().split('\n').at(-1) ?? '';
  if (!new RegExp(`^localhost/agentplane-${app}@sha256:[0-9a-f]{64}$`).test(ref)) {
    throw new Error(`build-image.sh ${app} printed ${JSON.stringify(ref)}`);
  }
  return ref;
}
