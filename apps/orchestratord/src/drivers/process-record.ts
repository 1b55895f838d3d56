import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * `process.json` in an engine's directory: what a restarted orchestrator needs to find (and
 * trust) a running engine process again.
 */
export const ProcessRecord = z.object({
  engineId: z.string(),
  productId: z.string(),
  userId: z.string(),
  hostPort: z.number().int(),
  pid: z.number().int().positive(),
  startedAt: z.string(),
  /** argv as spawned, compared with /proc/<pid>/cmdline (a reused pid runs something else). */
  command: z.array(z.string()),
  /** /proc/<pid>/stat starttime (clock ticks since boot): tells a reused pid apart exactly. */
  procStart: z.string().optional(),
  /** Fingerprint of the spec the process was started from; `start` respawns when it differs. */
  specHash: z.string(),
});
export type ProcessRecord = z.infer<typeof ProcessRecord>;

export const RECORD_FILE = 'process.json';

export async function readRecord(dir: string): Promise<ProcessRecord | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, RECORD_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw err;
  }
  const parsed = ProcessRecord.safeParse(JSON.parse(text));
  // A record we cannot read names no process we could safely signal.
  return parsed.success ? parsed.data : undefined;
}

/** Written to a temporary file and renamed, so a reader never sees half a record. */
export async function writeRecord(dir: string, record: ProcessRecord): Promise<void> {
  const tmp = join(dir, `.${RECORD_FILE}.${randomBytes(6).toString('hex')}.tmp`);
  await writeFile(tmp, `${JSON.stringify(record, null, 2)}\n`);
  await rename(tmp, join(dir, RECORD_FILE));
}

export async function deleteRecord(dir: string): Promise<void> {
  await rm(join(dir, RECORD_FILE), { force: true });
}

interface ProcStat {
  state: string;
  startTime: string;
}

async function readProcStat(pid: number): Promise<ProcStat | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', startTime: fields[19] ?? '' };
  } catch {
    return undefined;
  }
}

/** starttime of a live pid, to record at spawn (undefined where there is no /proc). */
export async function procStartOf(pid: number): Promise<string | undefined> {
  return (await readProcStat(pid))?.startTime;
}

const hasProc = process.platform === 'linux';

/**
 * Whether the record's process still runs: the pid is alive, not a zombie (an orphan whose
 * reaper never reaps), started when recorded, and runs the recorded command. Without /proc
 * (macOS) only the pid's existence is checked.
 */
export async function isRecordAlive(record: ProcessRecord): Promise<boolean> {
  if (!hasProc) {
    try {
      process.kill(record.pid, 0);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
  const stat = await readProcStat(record.pid);
  if (stat === undefined || stat.state === 'Z' || stat.state === 'X') {
    return false;
  }
  if (record.procStart !== undefined && stat.startTime !== record.procStart) {
    return false;
  }
  let cmdline: string;
  try {
    cmdline = await readFile(`/proc/${record.pid}/cmdline`, 'utf8');
  } catch {
    return false;
  }
  const argv = cmdline.split('\0');
  if (argv.at(-1) === '') {
    argv.pop();
  }
  return argv.length === record.command.length && argv.every((arg, i) => arg === record.command[i]);
}
