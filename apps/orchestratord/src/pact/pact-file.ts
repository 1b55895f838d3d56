import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// llama-orch's CLI consumer contract, read in place from the shared reference folder beside the
// repository (it is not copied into the project): PACT_FILE, else ../shared/reference/… from the
// repository root, else /work/shared/reference/….

export interface PactInteraction {
  description: string;
  request: {
    method: string;
    path: string;
    headers?: Record<string, string>;
    body?: unknown;
  };
  response: {
    status: number;
    headers?: Record<string, string>;
    body?: unknown;
  };
}

export interface PactFile {
  consumer: { name: string };
  provider: { name: string };
  interactions: PactInteraction[];
}

const RELATIVE = 'reference/llama-orch-contracts/cli-consumer-orchestratord.json';
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** Where the pact file is, or undefined with the places looked at. */
export function locatePact(): { path?: string; looked: string[] } {
  const looked = [
    process.env.PACT_FILE,
    join(REPO_ROOT, '..', 'shared', RELATIVE),
    join('/work/shared', RELATIVE),
  ].filter((p): p is string => p !== undefined && p !== '');
  return { path: looked.find((p) => existsSync(p)), looked };
}

export function readPact(path: string): PactFile {
  return JSON.parse(readFileSync(path, 'utf8')) as PactFile;
}
