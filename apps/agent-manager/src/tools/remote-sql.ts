import type { IpcChannel } from '../ipc/ipc-channel.js';
import { rpcClient } from '../ipc/rpc.js';
import { ToolError, type ToolErrorCode } from './agent-tool.js';
import type { ReadOnlySql } from './read-only-query.js';

/**
 * db.query in a worker on the embedded path: the service process runs the statement on its
 * PGlite. An AbortSignal cannot cross the channel (the statement's own timeout bounds it), and
 * the ToolError comes back as a ToolError so the model sees the same codes.
 */
export function remoteSql(channel: IpcChannel): ReadOnlySql {
  const remote = rpcClient<ReadOnlySql>(channel, 'sql');
  return {
    async query(sql, params, limits) {
      try {
        return await remote.query(sql, params, {
          timeoutMs: limits.timeoutMs,
          maxRows: limits.maxRows,
        });
      } catch (error) {
        const shape = error as { name?: string; code?: string; message?: string };
        if (shape.name === 'ToolError' && typeof shape.code === 'string') {
          throw new ToolError(shape.code as ToolErrorCode, shape.message ?? 'db.query failed');
        }
        throw error;
      }
    },
  };
}
