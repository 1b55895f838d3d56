import { execFile } from 'node:child_process';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTmpDir, type LiveOrchestratord, startLiveOrchestratord } from '@agentplane/testkit';
import { describe, expect, it } from 'vitest';
import {
  compileProgram,
  createConsumerProject,
  packClient,
  plainNode,
} from './testing/consumer-project.js';

// What a product outside the monorepo does: install the packed tarball with npm, type-check the
// README's program against the installed declarations, run it on plain Node against live
// services (orchestratord and the engines it starts). Black-box: services are processes.

const run = promisify(execFile);
const readme = new URL('../README.md', import.meta.url);
const quickstart = new URL('../examples/quickstart.ts', import.meta.url);
const contractsManifest = new URL('../../contracts/package.json', import.meta.url);

interface ProgramOutput {
  client: string;
  documents: Record<string, string>;
  events: string[];
  text: string;
  next?: string;
  denied?: string;
  failure?: string;
  destroyed: number;
}

describe('@agentplane/client, packed and installed as a product would', () => {
  it('installs with npm, type-checks and runs the README program on plain Node', async () => {
    const started = Date.now();
    const work = await createTmpDir('client-pack-');
    const cleanups: (() => Promise<unknown>)[] = [() => work.remove()];
    try {
      // orchestratord boots (migrations, PGlite or Postgres) while the package is built.
      await mkdir(join(work.path, 'orch'));
      const starting = startLiveOrchestratord({
        dataDir: join(work.path, 'orch'),
        fleetPrefix: 'client-pack',
      });
      // Handled here so a failed start waits for the `await` below instead of going unhandled.
      const settled = starting.catch(() => undefined);
      cleanups.unshift(async () => (await settled)?.close());

      const source = await readFile(quickstart, 'utf8');
      expect(await readFile(readme, 'utf8')).toContain(source);

      await mkdir(join(work.path, 'pack'));
      const { tarball, files } = await packClient(join(work.path, 'pack'));
      expect(files).toEqual([
        'package/LICENSE',
        'package/README.md',
        'package/index.d.mts',
        'package/index.mjs',
        'package/package.json',
      ]);
      const project = join(work.path, 'product');
      await mkdir(project);
      await createConsumerProject(project, tarball);

      const installedDir = join(project, 'node_modules', '@agentplane', 'client');
      const installed = await readFile(join(installedDir, 'package.json'), 'utf8');
      const { version } = JSON.parse(await readFile(contractsManifest, 'utf8')) as {
        version: string;
      };
      const manifest = JSON.parse(installed) as Record<string, unknown>;
      expect(installed).not.toContain('workspace:');
      expect(manifest).toMatchObject({
        version,
        license: 'Apache-2.0',
        dependencies: { zod: expect.any(String) },
      });
      expect(Object.keys(manifest.dependencies as object)).toEqual(['zod']);
      expect(manifest).not.toHaveProperty('devDependencies');

      const program = await compileProgram(project, quickstart.pathname);
      const node = await plainNode();
      const orch: LiveOrchestratord = await starting;
      const { stdout } = await run(node.path, [program], {
        cwd: project,
        timeout: 60_000,
        // Plain Node: no loader, no NODE_OPTIONS from the test runner.
        env: {
          PATH: process.env.PATH,
          ORCH_URL: orch.service.baseUrl,
          ORCH_ADMIN_KEY: orch.adminKey,
          USER_ID: 'pack-test-user',
        },
      });
      const out = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as ProgramOutput;

      expect(out.client).toBe(version);
      expect(Object.keys(out.documents).sort()).toEqual([
        'agent-manager',
        'engine',
        'orchestratord-catalog',
        'orchestratord-control',
        'orchestratord-data',
        'processor',
      ]);
      // The early break after thread.started, then the replay from Last-Event-ID: one turn,
      // every seq once and in order, ending with its terminal event.
      expect(out.events[0]).toBe('1:thread.started');
      expect(out.events.map((e) => Number(e.split(':')[0]))).toEqual(
        out.events.map((_, i) => i + 1),
      );
      expect(out.events.at(-1)).toMatch(/:thread\.completed$/);
      expect(out.text.length).toBeGreaterThan(0);
      expect(out.next).toBe('thread.completed');
      expect(out.denied).toBe('UNAUTHORIZED');
      expect(out.failure).toBe('transport (getHealth)');
      expect(out.destroyed).toBe(200);

      // Importing the package leaves the product's zod as it found it (no `.openapi()` left on
      // its prototype to shadow the product's own zod-to-openapi).
      const zodCheck =
        "import { z } from 'zod'; await import('@agentplane/client');" +
        'process.stdout.write(typeof z.ZodType.prototype.openapi);';
      const untouched = await run(node.path, ['--input-type=module', '-e', zodCheck], {
        cwd: project,
        env: { PATH: process.env.PATH },
      });
      expect(untouched.stdout).toBe('undefined');

      const size = (await stat(tarball)).size;
      console.info(
        `[client pack] ${files.join(', ')}; ${size} bytes; ran on ${node.path} ${node.version}` +
          ` against orchestratord on ${orch.database}; ${Date.now() - started} ms; program: ${stdout}`,
      );
    } finally {
      for (const cleanup of cleanups) {
        await cleanup();
      }
    }
  }, 420_000);
});
