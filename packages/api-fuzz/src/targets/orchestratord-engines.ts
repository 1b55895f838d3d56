import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** /proc/<pid>/stat starttime: a pid reused by another process has another. */
async function startTimeOf(pid: number): Promise<string | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

/**
 * SIGKILLs the process group of every engine the process driver recorded under `dataDir`
 * (`engines/<id>/process.json`) that still runs with the recorded start time: the engines of
 * this run, and only those.
 */
export async function killRecordedEngines(dataDir: string): Promise<void> {
  const engines = join(dataDir, 'engines');
  for (const dir of await readdir(engines).catch(() => [])) {
    const text = await readFile(join(engines, dir, 'process.json'), 'utf8').catch(() => '{}');
    const { pid, procStart } = JSON.parse(text) as { pid?: number; procStart?: string };
    if (pid === undefined || procStart === undefined || (await startTimeOf(pid)) !== procStart) {
      continue;
    }
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}
