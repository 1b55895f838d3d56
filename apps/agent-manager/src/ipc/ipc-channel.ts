/**
 * The half of a Node IPC channel this layer needs: a forked `ChildProcess` in the parent,
 * `process` in the child. Both also carry messages of other protocols (the worker pool's
 * `{t:'worker-drain'}`…), so every reader here ignores a `t` it does not own.
 */
export interface IpcChannel {
  send?(message: object, callback: (error: Error | null) => void): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'disconnect', listener: () => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'disconnect', listener: () => void): unknown;
  readonly connected?: boolean;
}

/**
 * Sends unless the channel is closed; false when it was. A send racing the peer's death fails
 * asynchronously: the callback swallows that, because the disconnect handlers already turn
 * a dead peer into rejected calls and requeued jobs, and an unhandled 'error' would crash us.
 */
export function sendMessage(channel: IpcChannel, message: object): boolean {
  if (!channel.send || channel.connected === false) {
    return false;
  }
  channel.send(message, () => {});
  return true;
}

/** The `t` of a protocol message, or undefined for anything else. */
export function messageType(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null) {
    return undefined;
  }
  const t = (message as { t?: unknown }).t;
  return typeof t === 'string' ? t : undefined;
}
