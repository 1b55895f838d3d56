import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';

/**
 * Forks a TypeScript entry the way the worker pool forks workers (advanced serialization,
 * an IPC channel), under tsx since tests run from source.
 */
export function forkTs(entry: string, env: NodeJS.ProcessEnv = {}): ChildProcess {
  return fork(entry, [], {
    execArgv: ['--import', import.meta.resolve('tsx')],
    env: { ...process.env, ...env },
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** Resolves with the first message of type `t` from the child. */
export async function nextMessage<M extends { t: string }>(
  child: ChildProcess,
  t: M['t'],
): Promise<M> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      if ((message as { t?: unknown } | null)?.t === t) {
        child.off('message', onMessage);
        resolve(message as M);
      }
    };
    child.on('message', onMessage);
  });
}

/** SIGKILLs the child (if still alive) and waits for its exit. */
export async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}
