import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProcessorRegistry } from '@agentplane/contracts';
import { describeWithService, test } from '@agentplane/testkit';
import type Docker from 'dockerode';
import { expect } from 'vitest';
import { createLocalAdapter } from './local-adapter.js';
import { loadRegistryFor } from './registry-file.js';
import { hostPlatform, targetFromRegistry } from './target.js';
import { fakeTarget } from './test-support/fake-target.js';
import { type BuiltImage, fakeProcessorImage, processorImage } from './test-support/images.js';

// Real containers through the Docker API (Podman here). Images are built once per content change.

const processors = fileURLToPath(new URL('../../../apps/processors/', import.meta.url));

let fake: Promise<BuiltImage> | undefined;
const fakeImage = () => {
  fake ??= fakeProcessorImage();
  return fake;
};
let docExtract: Promise<BuiltImage> | undefined;
const docExtractImage = () => {
  docExtract ??= processorImage('doc_extract');
  return docExtract;
};
let summarize: Promise<BuiltImage> | undefined;
const summarizeImage = () => {
  summarize ??= processorImage('text_summarize');
  return summarize;
};

/** text/summarize's registry.yaml as if `image` had been recorded in it. */
function summarizeRegistry(image: string): ProcessorRegistry {
  const registry = loadRegistryFor('text/summarize@1', processors);
  const platform = hostPlatform() ?? 'amd64';
  return { ...registry, image: { platforms: { [platform]: image }, default_platform: platform } };
}

function request(dir: string, executionId: string) {
  return {
    execution_id: executionId,
    write_prefix: join(dir, 'artifacts', '{execution_id}/'),
    schema: 'v1',
    mode: 'mock' as const,
    inputs: {},
  };
}

async function containersOf(docker: Docker, executionId: string): Promise<number> {
  const list = await docker.listContainers({
    all: true,
    filters: { label: [`agentplane.processor.execution_id=${executionId}`] },
  });
  return list.length;
}

describeWithService('docker', 'LocalAdapter with the fake processor', () => {
  test('answers the envelope with host paths, then removes its container', async ({
    docker,
    tmpDir,
  }) => {
    const image = await fakeImage();
    const adapter = createLocalAdapter({ docker, target: fakeTarget(image.pinned, image.digest) });
    const envelope = await adapter.run(request(tmpDir, 'e-ok'));
    await adapter.close();
    expect(envelope).toMatchObject({
      status: 'success',
      execution_id: 'e-ok',
      index_path: join(tmpDir, 'artifacts', 'e-ok', 'outputs.json'),
      meta: { image_digest: image.digest },
    });
    expect(existsSync(join(tmpDir, 'artifacts'))).toBe(true);
    expect(await containersOf(docker, 'e-ok')).toBe(0);
  });

  test('host networking: the processor listens on a free loopback port instead', async ({
    docker,
    tmpDir,
  }) => {
    const image = await fakeImage();
    const adapter = createLocalAdapter({
      docker,
      target: fakeTarget(image.pinned, image.digest),
      networkMode: 'host',
    });
    const envelope = await adapter.run(request(tmpDir, 'e-host'));
    await adapter.close();
    expect(envelope).toMatchObject({ status: 'success', meta: { image_digest: image.digest } });
  });

  test('JSON that is not an envelope → ERR_ENVELOPE_INVALID', async ({ docker, tmpDir }) => {
    const image = await fakeImage();
    const adapter = createLocalAdapter({
      docker,
      target: fakeTarget(image.pinned, image.digest),
      env: { FAKE_BEHAVIOUR: 'not-envelope' },
    });
    const envelope = await adapter.run(request(tmpDir, 'e-garbage'));
    await adapter.close();
    expect(envelope).toMatchObject({
      status: 'error',
      execution_id: 'e-garbage',
      error: { code: 'ERR_ENVELOPE_INVALID' },
      meta: { image_digest: image.digest },
    });
  });

  test('a processor that dies before listening → ERR_ADAPTER_UNREACHABLE', async ({
    docker,
    tmpDir,
  }) => {
    const image = await fakeImage();
    const warnings: Array<{ message: string; fields: object }> = [];
    const adapter = createLocalAdapter({
      docker,
      target: fakeTarget(image.pinned, image.digest),
      env: { FAKE_BEHAVIOUR: 'exit' },
      logger: { info() {}, warn: (fields, message) => warnings.push({ message, fields }) },
    });
    const envelope = await adapter.run(request(tmpDir, 'e-exit'));
    await adapter.close();
    expect(envelope.status).toBe('error');
    if (envelope.status === 'error') {
      expect(envelope.error.code).toBe('ERR_ADAPTER_UNREACHABLE');
      expect(envelope.error.issues?.[0]?.message).toMatch(/exit code 3/);
    }
    // What the processor wrote before dying is in the adapter's log.
    expect(warnings).toContainEqual({
      message: 'processor.container.unhealthy',
      fields: expect.objectContaining({ logs: 'fake processor: exiting as asked\n' }),
    });
    expect(await containersOf(docker, 'e-exit')).toBe(0);
  });

  test('a processor that never answers /run → ERR_ADAPTER_TIMEOUT', async ({ docker, tmpDir }) => {
    const image = await fakeImage();
    const adapter = createLocalAdapter({
      docker,
      target: fakeTarget(image.pinned, image.digest),
      env: { FAKE_BEHAVIOUR: 'hang' },
      runTimeoutMs: 1_000,
    });
    const envelope = await adapter.run(request(tmpDir, 'e-hang'));
    await adapter.close();
    expect(envelope).toMatchObject({ status: 'error', error: { code: 'ERR_ADAPTER_TIMEOUT' } });
    expect(await containersOf(docker, 'e-hang')).toBe(0);
  });

  test('an image that is not there → ERR_ADAPTER_UNREACHABLE', async ({ docker, tmpDir }) => {
    const missing = `localhost/agentplane-test-missing@sha256:${'0'.repeat(64)}`;
    const adapter = createLocalAdapter({ docker, target: fakeTarget(missing, undefined) });
    const envelope = await adapter.run(request(tmpDir, 'e-missing'));
    await adapter.close();
    expect(envelope).toMatchObject({ status: 'error', error: { code: 'ERR_ADAPTER_UNREACHABLE' } });
  });
});

describeWithService('docker', 'LocalAdapter with text/summarize', () => {
  const inputs = JSON.parse(
    readFileSync(join(processors, 'text_summarize/examples/inputs.json'), 'utf8'),
  ) as Record<string, unknown>;

  test('runs the image registry.yaml pins: outputs on the host, digest verified', async ({
    docker,
    tmpDir,
  }) => {
    const image = await summarizeImage();
    const adapter = createLocalAdapter({
      docker,
      target: targetFromRegistry(summarizeRegistry(image.pinned), hostPlatform()),
    });
    const envelope = await adapter.run({ ...request(tmpDir, 'e-sum'), inputs });
    await adapter.close();
    expect(envelope).toMatchObject({ status: 'success', meta: { image_digest: image.digest } });
    if (envelope.status === 'success') {
      const response = envelope.outputs.find((o) => o.path.endsWith('outputs/response.txt'));
      expect(response?.path).toBe(join(tmpDir, 'artifacts', 'e-sum', 'outputs', 'response.txt'));
      expect(readFileSync(response?.path as string, 'utf8').length).toBeGreaterThan(0);
      expect(existsSync(envelope.index_path)).toBe(true);
    }
  });

  test('another image than registry.yaml pins → ERR_DIGEST_DRIFT', async ({ docker, tmpDir }) => {
    const [pinned, other] = await Promise.all([summarizeImage(), fakeImage()]);
    // registry.yaml pins text/summarize; the container runs another image (as a moved tag would).
    const adapter = createLocalAdapter({
      docker,
      target: targetFromRegistry(summarizeRegistry(pinned.pinned), hostPlatform()),
      image: other.tag,
    });
    const envelope = await adapter.run({ ...request(tmpDir, 'e-drift'), inputs });
    await adapter.close();
    expect(envelope).toMatchObject({
      status: 'error',
      execution_id: 'e-drift',
      error: { code: 'ERR_DIGEST_DRIFT', issues: [{ path: '/meta/image_digest' }] },
      meta: { image_digest: other.digest },
    });
  });

  test('a read-only input mount: doc/extract reads a file by path through it', async ({
    docker,
    tmpDir,
  }) => {
    const image = await docExtractImage();
    const inputs = join(tmpDir, 'in');
    mkdirSync(inputs);
    writeFileSync(join(inputs, 'note.md'), '# Title\n\nA paragraph read through the mount.\n');
    const registry = loadRegistryFor('doc/extract@1', processors);
    const platform = hostPlatform() ?? 'amd64';
    const target = targetFromRegistry(
      {
        ...registry,
        image: { platforms: { [platform]: image.pinned }, default_platform: platform },
      },
      platform,
    );
    const adapter = createLocalAdapter({
      docker,
      target,
      mounts: [{ hostDir: inputs, containerDir: '/inputs' }],
      env: { DOC_EXTRACT_INPUT_DIR: '/inputs' },
    });
    const envelope = await adapter.run({
      ...request(tmpDir, 'e-mount'),
      inputs: { documents: [{ path: 'note.md' }] },
    });
    await adapter.close();
    expect(envelope.status).toBe('success');
    if (envelope.status === 'success') {
      const text = envelope.outputs.map((o) => readFileSync(o.path, 'utf8')).join('\n');
      expect(text).toContain('A paragraph read through the mount.');
    }
    expect(readdirSync(inputs)).toEqual(['note.md']);
    // Paths that could hide the app or the artifacts are refused up front.
    for (const containerDir of ['/', '/app', '/artifacts', '/artifacts/x', 'relative']) {
      expect(() =>
        createLocalAdapter({ docker, target, mounts: [{ hostDir: inputs, containerDir }] }),
      ).toThrow(/reserved|absolute/);
    }
    expect(() =>
      createLocalAdapter({
        docker,
        target,
        mounts: [{ hostDir: join(tmpDir, 'missing'), containerDir: '/inputs' }],
      }),
    ).toThrow(/not a directory/);
  });
});
