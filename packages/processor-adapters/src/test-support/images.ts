import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const fakeDir = fileURLToPath(new URL('./fake-processor/', import.meta.url));
const cli = process.env.CONTAINER_CLI ?? 'podman';

async function sh(command: string, args: string[]): Promise<string> {
  const { stdout } = await run(command, args, { cwd: repo, timeout: 240_000, maxBuffer: 1 << 24 });
  return stdout.trim();
}

async function imageDigest(tag: string): Promise<string> {
  return sh(cli, ['image', 'inspect', '--format', '{{.Digest}}', tag]);
}

async function exists(tag: string): Promise<boolean> {
  return sh(cli, ['image', 'inspect', '--format', '{{.Id}}', tag]).then(
    () => true,
    () => false,
  );
}

export interface BuiltImage {
  /** `repo:tag` */
  tag: string;
  /** `repo@sha256:…` */
  pinned: string;
  digest: string;
}

/**
 * The fake processor's image, tagged by a hash of its files and the base image, so it is built
 * once per change and reused across runs.
 */
export async function fakeProcessorImage(): Promise<BuiltImage> {
  const base = (await sh('bash', ['scripts/make-base-image.sh'])).split('\n').at(-1) ?? '';
  const baseId = await sh(cli, ['image', 'inspect', '--format', '{{.Id}}', base]);
  const hash = createHash('sha256')
    .update(baseId)
    .update(readFileSync(`${fakeDir}Dockerfile`))
    .update(readFileSync(`${fakeDir}server.mjs`))
    .digest('hex')
    .slice(0, 16);
  const repoName = 'localhost/agentplane-test-fake-processor';
  const tag = `${repoName}:${hash}`;
  if (!(await exists(tag))) {
    await sh(cli, [
      'build',
      '-q',
      '--format',
      'docker',
      '--build-arg',
      `BASE=${base}`,
      '-t',
      tag,
      fakeDir,
    ]);
  }
  const digest = await imageDigest(tag);
  return { tag, pinned: `${repoName}@${digest}`, digest };
}

/** A processor's image via scripts/build-processor-image.sh (cached the same way; registry.yaml untouched). */
export async function processorImage(dir: string): Promise<BuiltImage> {
  const pinned = (await sh('bash', ['scripts/build-processor-image.sh', dir, '--no-write']))
    .split('\n')
    .at(-1) as string;
  const digest = pinned.slice(pinned.lastIndexOf('@') + 1);
  return { tag: pinned, pinned, digest };
}
