import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GatewayConfig } from '@agentplane/contracts';
import { createTmpDir, type TmpDir } from '@agentplane/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConfigHolder } from './config-holder.js';
import { GatewayConfigError, loadGatewayConfig } from './load-gateway-config.js';

let tmp: TmpDir;
beforeAll(async () => {
  tmp = await createTmpDir('gateway-');
});
afterAll(() => tmp.remove());

const fileWith = async (name: string, text: string) => {
  const path = join(tmp.path, name);
  await writeFile(path, text);
  return path;
};

describe('loadGatewayConfig', () => {
  it('gives the defaults for a missing file or an empty one', async () => {
    expect(await loadGatewayConfig(join(tmp.path, 'absent.yaml'))).toEqual({
      config: GatewayConfig.parse({}),
      source: 'default',
    });
    const empty = await loadGatewayConfig(await fileWith('empty.yaml', '# nothing yet\n'));
    expect(empty).toEqual({ config: GatewayConfig.parse({}), source: 'file' });
  });

  it('reads YAML and fills defaults', async () => {
    const { config } = await loadGatewayConfig(
      await fileWith('ok.yaml', 'models:\n  default: gpt-4o\ntools:\n  allowlist: ["memory.*"]\n'),
    );
    expect(config.models.default).toBe('gpt-4o');
    expect(config.tools.allowlist).toEqual(['memory.*']);
    expect(config.quotas).toEqual({ tokens_per_day: null, requests_per_minute: null });
  });

  it('names every bad field by its path, and rejects unknown keys and broken YAML', async () => {
    const path = await fileWith(
      'bad.yaml',
      'quotas:\n  tokens_per_dya: 5\nhttp_fetch:\n  timeout_ms: 5\n',
    );
    const err = await loadGatewayConfig(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayConfigError);
    const issues = (err as GatewayConfigError).issues.join('\n');
    expect(issues).toContain('quotas');
    expect(issues).toContain('tokens_per_dya');
    expect(issues).toContain('http_fetch.timeout_ms');
    expect((err as Error).message).toContain(path);

    await expect(loadGatewayConfig(await fileWith('yaml.yaml', 'a: [1,\n'))).rejects.toThrow(
      /not valid YAML/,
    );
    await expect(loadGatewayConfig(tmp.path)).rejects.toThrow(/cannot read/);
  });
});

describe('createConfigHolder', () => {
  it('freezes each state deeply, counts generations and never aliases the input', () => {
    const input = GatewayConfig.parse({ models: { default: 'a' } });
    const holder = createConfigHolder(input, 'file');
    const first = holder.current();
    expect(first.generation).toBe(1);
    expect(Object.isFrozen(first.config.models.fallback)).toBe(true);
    expect(Object.isFrozen(input)).toBe(false);

    const second = holder.swap(GatewayConfig.parse({ models: { default: 'b' } }), 'rpc');
    expect(second).toBe(holder.current());
    expect(second.generation).toBe(2);
    expect(first.config.models.default).toBe('a');
  });
});
