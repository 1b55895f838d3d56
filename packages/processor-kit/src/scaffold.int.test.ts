import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRegistry } from './registry-loader.js';
import { scaffoldProcessor } from './scaffold.js';
import { processorContractSuite, spawnProcessor } from './testing/index.js';

// The scaffold goes to a temp dir (never apps/); a node_modules link lets its `import
// '@agentplane/processor-kit'` resolve to this package, as it would inside the workspace.
const tmp = await mkdtemp(join(tmpdir(), 'scaffold-'));
const kitDir = fileURLToPath(new URL('..', import.meta.url));
await mkdir(join(tmp, 'node_modules', '@agentplane'), { recursive: true });
await symlink(kitDir, join(tmp, 'node_modules', '@agentplane', 'processor-kit'));
const dir = await scaffoldProcessor({ ref: 'demo/echo_words', processorsDir: join(tmp, 'apps') });

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('scaffoldProcessor', () => {
  it('writes the processor files under {ns}_{name}/', async () => {
    expect(dir).toBe(join(tmp, 'apps', 'demo_echo_words'));
    const files = await readdir(dir, { recursive: true });
    expect(files.sort()).toEqual(
      [
        'README.md',
        'examples',
        'examples/inputs.json',
        'package.json',
        'registry.yaml',
        'src',
        'src/contract.int.test.ts',
        'src/handler.ts',
        'src/main.ts',
        'tsconfig.json',
        'vitest.config.ts',
      ].sort(),
    );
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('@agentplane/processor-demo-echo-words');
  });

  it('refuses to overwrite and refuses a bad ref', async () => {
    await expect(
      scaffoldProcessor({ ref: 'demo/echo_words', processorsDir: join(tmp, 'apps') }),
    ).rejects.toThrow(/already exists/);
    await expect(
      scaffoldProcessor({ ref: 'Demo/x', processorsDir: join(tmp, 'apps') }),
    ).rejects.toThrow(/snake case/);
  });

  it('gives the next processor the next port', async () => {
    const next = await scaffoldProcessor({ ref: 'demo/second', processorsDir: join(tmp, 'apps') });
    expect(readFileSync(join(next, 'src', 'main.ts'), 'utf8')).toContain('defaultPort: 8102');
  });
});

processorContractSuite({
  name: 'scaffolded demo/echo_words@1',
  registry: loadRegistry(join(dir, 'registry.yaml')),
  exampleInputs: JSON.parse(readFileSync(join(dir, 'examples', 'inputs.json'), 'utf8')),
  start: (env) => spawnProcessor({ entry: join(dir, 'src', 'main.ts'), env }),
});
