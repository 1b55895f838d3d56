import { ConfigError } from '@agentplane/http-kit';
import { describe, expect, it } from 'vitest';
import { driverKind, loadConfig } from './config.js';

const DIGEST = `localhost/agentplane-engine@sha256:${'a'.repeat(64)}`;

function issuesOf(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      return error.message;
    }
    throw error;
  }
  return '';
}

describe('orchestratord config', () => {
  it('defaults to the process driver and embedded backends', () => {
    const config = loadConfig({});
    expect(driverKind(config)).toBe('process');
    expect(config.ORCH_PORT_MIN).toBe(20000);
    expect(config.ORCH_ENGINE_ENV_PASSTHROUGH).toContain('OPENAI_API_KEY');
  });

  it('picks docker with DOCKER_HOST and wants a digest-pinned image', () => {
    const docker = { DOCKER_HOST: 'unix:///run/podman/podman.sock' };
    expect(issuesOf(docker)).toContain('ORCH_ENGINE_IMAGE');
    expect(issuesOf({ ...docker, ORCH_ENGINE_IMAGE: 'agentplane-engine:latest' })).toMatch(
      /ORCH_ENGINE_IMAGE.*pinned by digest/s,
    );
    expect(driverKind(loadConfig({ ...docker, ORCH_ENGINE_IMAGE: DIGEST }))).toBe('docker');
    expect(
      loadConfig({ ...docker, ORCH_ENGINE_IMAGE: 'agentplane-engine:dev', ORCH_ALLOW_TAGS: 'true' })
        .ORCH_ENGINE_IMAGE,
    ).toBe('agentplane-engine:dev');
  });

  it('needs both keys and DATABASE_URL in production, and names each', () => {
    const message = issuesOf({ NODE_ENV: 'production' });
    for (const name of ['DATABASE_URL', 'ORCH_ADMIN_KEY', 'ORCH_MASTER_KEY']) {
      expect(message).toContain(name);
    }
  });

  it('refuses the test hooks (Pact provider states) in production, and only there', () => {
    expect(issuesOf({ NODE_ENV: 'production', ORCH_TEST_HOOKS: '1' })).toContain('ORCH_TEST_HOOKS');
    expect(issuesOf({ NODE_ENV: 'production' })).not.toContain('ORCH_TEST_HOOKS');
    expect(loadConfig({ ORCH_TEST_HOOKS: '1' }).ORCH_TEST_HOOKS).toBe('1');
  });

  it('parses the master key, pools and the engine command, and refuses bad ones', () => {
    const config = loadConfig({
      ORCH_MASTER_KEY: 'ab'.repeat(32),
      ORCH_POOLS: 'east=tcp://10.0.0.2:2375, west=unix:///run/west.sock',
      ORCH_ENGINE_COMMAND: '["node", "/opt/engine/main.js"]',
    });
    expect(config.ORCH_MASTER_KEY?.length).toBe(32);
    expect(config.ORCH_POOLS).toEqual([
      { name: 'east', dockerHost: 'tcp://10.0.0.2:2375' },
      { name: 'west', dockerHost: 'unix:///run/west.sock' },
    ]);
    expect(config.ORCH_ENGINE_COMMAND).toEqual(['node', '/opt/engine/main.js']);
    expect(
      loadConfig({ ORCH_ENGINE_COMMAND: 'node engine.js --flag' }).ORCH_ENGINE_COMMAND,
    ).toEqual(['node', 'engine.js', '--flag']);
    expect(issuesOf({ ORCH_MASTER_KEY: 'short' })).toContain('ORCH_MASTER_KEY');
    expect(issuesOf({ ORCH_POOLS: 'nohost' })).toContain('ORCH_POOLS');
    expect(issuesOf({ ORCH_PORT_MIN: '30000', ORCH_PORT_MAX: '20000' })).toContain('ORCH_PORT_MIN');
  });
});
