import { spawn } from 'node:child_process';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Creates a fresh PGlite cluster in a short-lived child process, so the service that opens it
 * does not keep initdb's memory: WASM Postgres's initdb leaves ~110 MB more resident in the
 * process that ran it than a plain open of the same directory (orchestratord idle: 366 MB on a
 * fresh directory, 256 MB on an existing one), and neither closing that PGlite nor running
 * initdb on a worker thread gives it back. The cluster is made beside `dataDir` and renamed
 * into place, so a killed init leaves nothing half-made for the next start.
 */
export async function initPgliteInChild(opts: {
  dataDir: string;
  settings: Record<string, string> | undefined;
  /** A file that calls `servePgliteInit()` (its app bundles it as an entry of its own). */
  entry: URL;
  /** Node flags of the child; default this process's (tsx's loader under tsx). */
  execArgv?: string[];
}): Promise<void> {
  if (existsSync(join(opts.dataDir, 'PG_VERSION'))) {
    return;
  }
  const staging = `${opts.dataDir}.init-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const child = spawn(
    process.execPath,
    [
      ...(opts.execArgv ?? process.execArgv),
      opts.entry.pathname,
      staging,
      JSON.stringify(opts.settings ?? {}),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (exitCode, signal) => resolve(signal === null ? exitCode : null));
  });
  if (code !== 0 || !existsSync(join(staging, 'PG_VERSION'))) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(
      `initialising the embedded database in ${opts.dataDir} failed (exit ${code}): ${stderr.trim() || 'no output'}`,
    );
  }
  // rename(2) replaces an empty directory but never a non-empty one: whatever is there without a
  // PG_VERSION is left for a person to look at, and the start fails saying so.
  try {
    renameSync(staging, opts.dataDir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(
      `${opts.dataDir} holds files but no database (no PG_VERSION); move them away to start afresh`,
      { cause: error },
    );
  }
}

/** The child's body: `<entry> <dataDir> <settings JSON>` creates the cluster and exits. */
export async function servePgliteInit(argv: readonly string[] = process.argv.slice(2)) {
  const [dataDir, settings] = argv;
  if (dataDir === undefined) {
    throw new Error('usage: pglite-init <dataDir> [settings JSON]');
  }
  const { openPglite } = await import('./pglite.js');
  const pglite = await openPglite({
    dataDir,
    settings: JSON.parse(settings ?? '{}') as Record<string, string>,
  });
  await pglite.close();
}
