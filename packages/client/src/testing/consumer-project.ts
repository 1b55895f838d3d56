import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('../../', import.meta.url));
// The workspace's TypeScript (the root's devDependency), run as its CLI.
const tsc = fileURLToPath(new URL('../../../../node_modules/typescript/bin/tsc', import.meta.url));

/** `pnpm pack` of this package (its prepack builds dist/ first): the tarball and its file list. */
export async function packClient(into: string): Promise<{ tarball: string; files: string[] }> {
  await run('pnpm', ['pack', '--pack-destination', into], {
    cwd: packageDir,
    timeout: 120_000,
  });
  const name = (await readdir(into)).find((file) => file.endsWith('.tgz'));
  if (name === undefined) {
    throw new Error(`pnpm pack left no tarball in ${into}`);
  }
  const tarball = join(into, name);
  const { stdout } = await run('tar', ['-tzf', tarball]);
  return { tarball, files: stdout.trim().split('\n').sort() };
}

/**
 * A product's project outside the monorepo: its own package.json, the tarball and @types/node
 * installed with npm from the registry, a strict NodeNext tsconfig that also checks the
 * installed declarations (skipLibCheck off).
 */
export async function createConsumerProject(dir: string, tarball: string): Promise<void> {
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'client-consumer', private: true, type: 'module' }),
  );
  await writeFile(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2023'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        types: ['node'],
        strict: true,
        skipLibCheck: false,
        outDir: 'dist',
      },
      include: ['src'],
    }),
  );
  await run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, '@types/node@20'],
    // A registry round trip on a loaded CI machine: it once took over 120 s where 26 s is usual.
    { cwd: dir, timeout: 300_000 },
  );
}

/** Copies a program into the project and compiles it with the workspace's tsc. */
export async function compileProgram(dir: string, program: string): Promise<string> {
  await mkdir(join(dir, 'src'), { recursive: true });
  await copyFile(program, join(dir, 'src', 'main.ts'));
  try {
    await run(process.execPath, [tsc, '-p', dir], { cwd: dir, timeout: 120_000 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`tsc failed on the installed package:\n${stdout}${stderr}`);
  }
  return join(dir, 'dist', 'main.js');
}

/** The machine's own Node (≥ 20, not the workspace's Node 24), or this one when there is none. */
export async function plainNode(): Promise<{ path: string; version: string }> {
  for (const path of ['/usr/bin/node', '/usr/local/bin/node']) {
    if (existsSync(path)) {
      const { stdout } = await run(path, ['--version']);
      return { path, version: stdout.trim() };
    }
  }
  return { path: process.execPath, version: process.version };
}
