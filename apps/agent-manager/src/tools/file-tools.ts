import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { agentRelative, ensureParent, resolveAgentPath } from './agent-files.js';
import { type AgentTool, builtinDefinition, ToolError } from './agent-tool.js';

export interface FileLimits {
  /** Largest file file.read returns (bigger → TOO_LARGE). */
  maxReadBytes: number;
  /** Largest content file.write accepts (bigger → TOO_LARGE). */
  maxWriteBytes: number;
  /** Entries file.list returns; more → `truncated`. */
  maxListEntries: number;
}

const ENCODING = { type: 'string', enum: ['utf8', 'base64'], default: 'utf8' };
const PATH = { type: 'string', minLength: 1, maxLength: 1024 };

// O_NOFOLLOW: the final component was resolved a moment ago; if a link was swapped in since,
// opening fails (ELOOP) instead of following it out of the root.
const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW;
const CREATE_FLAGS =
  constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

function notFound(path: string): ToolError {
  return new ToolError('NOT_FOUND', `no such file: ${path}`);
}

async function readCapped(real: string, path: string, maxBytes: number): Promise<Buffer> {
  const handle = await open(real, READ_FLAGS).catch((err: NodeJS.ErrnoException) => {
    throw err.code === 'ELOOP'
      ? new ToolError('PATH_OUTSIDE_ROOT', `path changed to a link: ${path}`)
      : err;
  });
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) {
      throw new ToolError('INVALID_INPUT', `not a file: ${path}`);
    }
    if (stat.size > maxBytes) {
      throw new ToolError(
        'TOO_LARGE',
        `${path} has ${stat.size} bytes, over the ${maxBytes} limit`,
        {
          bytes: stat.size,
          limit: maxBytes,
        },
      );
    }
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** `file.read`: one file of the agent's folder, as UTF-8 text or base64. */
export function fileReadTool(filesRoot: string, limits: FileLimits): AgentTool {
  return {
    capability: 'fs',
    sideEffecting: false,
    definition: builtinDefinition({
      name: 'file.read',
      description: "Reads a file from the agent's own folder (paths are relative to it).",
      input_schema: {
        type: 'object',
        properties: { path: PATH, encoding: ENCODING },
        required: ['path'],
        additionalProperties: false,
      },
      timeout_ms: 10_000,
    }),
    async run(input, ctx) {
      const path = String(input.path);
      const resolved = await resolveAgentPath(filesRoot, ctx.agentId, path);
      if (!resolved.exists) {
        throw notFound(path);
      }
      const data = await readCapped(resolved.real, path, limits.maxReadBytes);
      const encoding = input.encoding === 'base64' ? 'base64' : 'utf8';
      return {
        path: resolved.relative,
        encoding,
        bytes: data.byteLength,
        content: data.toString(encoding),
      };
    },
  };
}

async function writeAtomically(dir: string, name: string, data: Buffer): Promise<void> {
  // Temp file + rename: a reader never sees half a file, and rename replaces a link at the
  // target rather than writing through it.
  const temp = join(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, CREATE_FLAGS, 0o644);
  try {
    await handle.writeFile(data);
    await handle.datasync();
  } catch (err) {
    await handle.close();
    await unlink(temp).catch(() => {});
    throw err;
  }
  await handle.close();
  await rename(temp, join(dir, name)).catch(async (err) => {
    await unlink(temp).catch(() => {});
    throw err;
  });
}

/** `file.write`: creates or replaces one file (parents created), atomically. */
export function fileWriteTool(filesRoot: string, limits: FileLimits): AgentTool {
  return {
    capability: 'fs',
    sideEffecting: true,
    definition: builtinDefinition({
      name: 'file.write',
      description: "Writes a file in the agent's own folder, creating folders on the way.",
      input_schema: {
        type: 'object',
        properties: { path: PATH, content: { type: 'string' }, encoding: ENCODING },
        required: ['path', 'content'],
        additionalProperties: false,
      },
      timeout_ms: 10_000,
    }),
    async run(input, ctx) {
      const path = String(input.path);
      const data = Buffer.from(
        String(input.content),
        input.encoding === 'base64' ? 'base64' : 'utf8',
      );
      if (data.byteLength > limits.maxWriteBytes) {
        throw new ToolError(
          'TOO_LARGE',
          `content has ${data.byteLength} bytes, over the ${limits.maxWriteBytes} limit`,
          {
            bytes: data.byteLength,
            limit: limits.maxWriteBytes,
          },
        );
      }
      const resolved = await resolveAgentPath(filesRoot, ctx.agentId, path);
      if (resolved.relative === '') {
        throw new ToolError('INVALID_INPUT', 'path names the folder itself');
      }
      if (resolved.exists && !(await lstat(resolved.real)).isFile()) {
        throw new ToolError('INVALID_INPUT', `not a file: ${path}`);
      }
      const dir = await ensureParent(resolved);
      await writeAtomically(dir, basename(resolved.real), data);
      return { path: agentRelative(resolved.root, resolved.real), bytes: data.byteLength };
    },
  };
}

type EntryType = 'file' | 'dir' | 'link' | 'other';

/** `file.list`: one folder's entries (not recursive), names sorted. */
export function fileListTool(filesRoot: string, limits: FileLimits): AgentTool {
  return {
    capability: 'fs',
    sideEffecting: false,
    definition: builtinDefinition({
      name: 'file.list',
      description: "Lists a folder of the agent's own folder (default: its top).",
      input_schema: {
        type: 'object',
        properties: { path: { type: 'string', maxLength: 1024, default: '.' } },
        additionalProperties: false,
      },
      timeout_ms: 10_000,
    }),
    async run(input, ctx) {
      const path = typeof input.path === 'string' ? input.path : '.';
      const resolved = await resolveAgentPath(filesRoot, ctx.agentId, path);
      if (!resolved.exists) {
        throw notFound(path);
      }
      const dirents = await readdir(resolved.real, { withFileTypes: true }).catch(
        (err: NodeJS.ErrnoException) => {
          throw err.code === 'ENOTDIR'
            ? new ToolError('INVALID_INPUT', `not a folder: ${path}`)
            : err;
        },
      );
      dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const shown = dirents.slice(0, limits.maxListEntries);
      const entries = await Promise.all(
        shown.map(async (d) => {
          const type: EntryType = d.isFile()
            ? 'file'
            : d.isDirectory()
              ? 'dir'
              : d.isSymbolicLink()
                ? 'link'
                : 'other';
          const size =
            type === 'file' ? (await lstat(join(resolved.real, d.name))).size : undefined;
          return { name: d.name, type, ...(size === undefined ? {} : { size }) };
        }),
      );
      return { path: resolved.relative, entries, truncated: dirents.length > shown.length };
    },
  };
}
