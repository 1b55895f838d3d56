import { lstat, mkdir, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { ToolError } from './agent-tool.js';

// Agent ids are `agt_…` (contracts' AgentId); anything else must not become a path segment.
const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** Where one agent's path points, after every symlink of its existing part is resolved. */
export interface ResolvedPath {
  /** The agent's root, real (symlinks resolved). */
  root: string;
  /** The real path of the target (its missing tail appended to the real existing part). */
  real: string;
  /** False when some of the path does not exist yet (a file to create). */
  exists: boolean;
  /** As the agent names it, relative to its root ('' for the root). */
  relative: string;
}

/** Splits an agent's path into segments, refusing NUL, absolute paths and `..` anywhere. */
function pathSegments(path: string): string[] {
  if (path.includes('\0')) {
    throw new ToolError('INVALID_INPUT', 'path contains a NUL byte');
  }
  if (isAbsolute(path) || /^[A-Za-z]:/.test(path)) {
    throw new ToolError(
      'PATH_OUTSIDE_ROOT',
      `path must be relative to the agent's folder: ${path}`,
    );
  }
  const segments = path.split(/[/\\]+/).filter((s) => s !== '' && s !== '.');
  // Refused even when it would stay inside (a/../b): a path the agent means never needs it.
  if (segments.includes('..')) {
    throw new ToolError('PATH_OUTSIDE_ROOT', `path must not contain '..': ${path}`);
  }
  return segments;
}

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root + sep);
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return false;
    }
    throw err;
  }
}

/** `<filesRoot>/<agentId>/`, created on demand, as a real path. */
export async function agentRoot(filesRoot: string, agentId: string): Promise<string> {
  if (!SAFE_SEGMENT.test(agentId)) {
    throw new ToolError('INVALID_INPUT', `not a usable agent id: ${agentId}`);
  }
  const root = join(filesRoot, agentId);
  await mkdir(root, { recursive: true });
  return realpath(root);
}

/**
 * Resolves `path` inside the agent's root. The deepest part that exists is resolved with
 * realpath, so a symlink anywhere on the way (a link to /etc, to a sibling agent's folder) is
 * judged by where it lands: outside the root → PATH_OUTSIDE_ROOT; a link inside to inside is fine.
 */
export async function resolveAgentPath(
  filesRoot: string,
  agentId: string,
  path: string,
): Promise<ResolvedPath> {
  const segments = pathSegments(path);
  const root = await agentRoot(filesRoot, agentId);
  let existing = segments.length;
  while (existing > 0 && !(await exists(join(root, ...segments.slice(0, existing))))) {
    existing -= 1;
  }
  const found = await realpath(join(root, ...segments.slice(0, existing))).catch((err) => {
    // A dangling symlink: what it points at does not exist, wherever that is.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ToolError('PATH_OUTSIDE_ROOT', `path is a dangling link: ${path}`);
    }
    throw err;
  });
  if (!isInside(root, found)) {
    throw new ToolError('PATH_OUTSIDE_ROOT', `path leads outside the agent's folder: ${path}`);
  }
  return {
    root,
    real: join(found, ...segments.slice(existing)),
    exists: existing === segments.length,
    relative: segments.join('/'),
  };
}

/** Creates the parent folders of a resolved path and checks again that they are inside. */
export async function ensureParent(resolved: ResolvedPath): Promise<string> {
  const parent = dirname(resolved.real);
  await mkdir(parent, { recursive: true });
  // A link swapped in between the check and the mkdir would show here.
  const real = await realpath(parent);
  if (!isInside(resolved.root, real)) {
    throw new ToolError(
      'PATH_OUTSIDE_ROOT',
      `path leads outside the agent's folder: ${resolved.relative}`,
    );
  }
  return real;
}

/** The path as the agent sees it, for results. */
export function agentRelative(root: string, real: string): string {
  return relative(root, real).split(sep).join('/');
}
