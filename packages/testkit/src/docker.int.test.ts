import { dockerOptionsFromHost } from '@agentplane/backends/docker-host';
import { describe, expect, it } from 'vitest';
import { test } from './fixtures.js';

describe('docker fixture', () => {
  test('is pinged and answers the Docker API', async ({ docker }) => {
    expect(String(await docker.ping())).toBe('OK');
    const containers = await docker.listContainers({ all: true });
    expect(Array.isArray(containers)).toBe(true);
    const version = await docker.version();
    expect(version.ApiVersion).toMatch(/^\d+\.\d+/);
  });
});

describe('dockerOptionsFromHost', () => {
  it('reads unix sockets, bare paths and tcp hosts', () => {
    expect(dockerOptionsFromHost('unix:///run/podman/podman.sock')).toEqual({
      socketPath: '/run/podman/podman.sock',
    });
    expect(dockerOptionsFromHost('/var/run/docker.sock')).toEqual({
      socketPath: '/var/run/docker.sock',
    });
    expect(dockerOptionsFromHost('tcp://127.0.0.1:2375')).toEqual({
      protocol: 'http',
      host: '127.0.0.1',
      port: '2375',
    });
    expect(dockerOptionsFromHost('tcp://docker')).toMatchObject({ host: 'docker', port: 2375 });
  });

  it('rejects what it cannot read', () => {
    expect(() => dockerOptionsFromHost('ssh://me@host')).toThrow(/DOCKER_HOST/);
  });
});
