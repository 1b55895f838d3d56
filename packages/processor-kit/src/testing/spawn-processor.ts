import { type SpawnServiceOptions, spawnService } from '@agentplane/testkit';

/** A processor under test: where it listens, what it printed, and how to stop it. */
export interface StartedProcessor {
  baseUrl: string;
  /** Everything written on stdout so far (must stay empty: logs go to stderr). */
  stdout(): string;
  /** stderr lines so far (the NDJSON log). */
  stderr(): readonly string[];
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** The processor's `src/main.ts` (run through tsx) or a built `dist/main.js`, and its env. */
export type SpawnProcessorOptions = SpawnServiceOptions;

/**
 * Starts a processor as a real child process on port 0 (testkit's spawnService: the same
 * start-up as every platform service) and waits for its `listening` log line.
 */
export async function spawnProcessor(opts: SpawnProcessorOptions): Promise<StartedProcessor> {
  const service = await spawnService(opts);
  return {
    baseUrl: service.baseUrl,
    stdout: service.stdout,
    stderr: () => service.stderr,
    stop: () => service.stop('SIGTERM'),
  };
}
