import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { scaffoldProcessor } from './scaffold.js';

const USAGE = 'usage: new-processor ns/name [--dir apps/processors] [--port 8103]';

function repoRoot(from: string): string {
  let dir = resolve(from);
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error('not inside the monorepo (no pnpm-workspace.yaml above); pass --dir');
    }
    dir = parent;
  }
  return dir;
}

/** `new-processor ns/name`: scaffolds apps/processors/{ns}_{name}/ and says what to do next. */
export async function newProcessorCli(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { dir: { type: 'string' }, port: { type: 'string' } },
  });
  const ref = positionals[0];
  if (ref === undefined || positionals.length > 1) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  // pnpm runs package scripts in the package dir; INIT_CWD is where the user typed the command.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const processorsDir =
    values.dir === undefined ? join(repoRoot(cwd), 'apps', 'processors') : resolve(cwd, values.dir);
  try {
    const dir = await scaffoldProcessor({
      ref,
      processorsDir,
      ...(values.port === undefined ? {} : { port: Number(values.port) }),
    });
    process.stdout.write(`created ${dir}\nnext: pnpm install, then pnpm test in ${dir}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`new-processor: ${(err as Error).message}\n`);
    return 1;
  }
}
