import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { processorDirName, scaffoldFiles } from './scaffold-templates.js';

const PART = /^[a-z][a-z0-9_]*$/;
const FIRST_PORT = 8101;

export interface ScaffoldOptions {
  /** `ns/name`, lower snake case, e.g. `text/translate`. */
  ref: string;
  /** Where processors live (the repo's apps/processors). */
  processorsDir: string;
  /** Default PORT of the new processor; default: one above the highest among its siblings. */
  port?: number;
}

/** One above the highest `defaultPort` of the existing processors (8101 for the first). */
async function nextPort(processorsDir: string): Promise<number> {
  const entries = existsSync(processorsDir)
    ? await readdir(processorsDir, { withFileTypes: true })
    : [];
  let highest = FIRST_PORT - 1;
  for (const entry of entries.filter((e) => e.isDirectory())) {
    const main = await readFile(join(processorsDir, entry.name, 'src', 'main.ts'), 'utf8').catch(
      () => '',
    );
    const port = Number(/defaultPort:\s*(\d+)/.exec(main)?.[1] ?? 0);
    highest = Math.max(highest, port);
  }
  return highest + 1;
}

/**
 * Writes apps/processors/{ns}_{name}/ (package.json, registry.yaml, src/main.ts, src/handler.ts,
 * examples/inputs.json, a contract test, README): a processor that passes the contract suite as
 * generated. Refuses to overwrite an existing directory. Returns the directory.
 */
export async function scaffoldProcessor(opts: ScaffoldOptions): Promise<string> {
  const [ns = '', name = '', ...rest] = opts.ref.split('/');
  if (rest.length > 0 || !PART.test(ns) || !PART.test(name)) {
    throw new Error(`expected ns/name in lower snake case (e.g. text/translate), got ${opts.ref}`);
  }
  const vars = { ns, name, port: opts.port ?? (await nextPort(opts.processorsDir)) };
  const dir = join(opts.processorsDir, processorDirName(vars));
  if (existsSync(dir)) {
    throw new Error(`${dir} already exists`);
  }
  for (const [path, content] of Object.entries(scaffoldFiles(vars))) {
    const file = join(dir, path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content, { flag: 'wx' });
  }
  return dir;
}
