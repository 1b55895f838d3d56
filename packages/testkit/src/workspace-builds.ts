import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// No test-runner imports here: benchmarks use it too (`@agentplane/testkit/workspace-builds`).

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Bundles an app (`scripts/build-app.mjs` in apps/<app>, what its `build` runs); the entry's path. */
export async function buildAppBundle(app: string): Promise<string> {
  await run(process.execPath, ['../../scripts/build-app.mjs'], {
    cwd: `${repoRoot}apps/${app}`,
    timeout: 120_000,
  });
  return `${repoRoot}apps/${app}/dist/main.js`;
}

/** `scripts/build-image.sh <app>` (bundle, then the image); the digest-pinned reference. */
export async function buildAppImage(app: string): Promise<string> {
  const { stdout } = await run('bash', ['scripts/build-image.sh', app], {
    cwd: repoRoot,
    timeout: 240_000,
  });
  const ref = stdout.trim().split('\n').at(-1) ?? '';
  if (!new RegExp(`^localhost/agentplane-${app}@sha256:[0-9a-f]{64}$`).test(ref)) {
    throw new Error(`build-image.sh ${app} printed ${JSON.stringify(ref)}`);
  }
  return ref;
}
