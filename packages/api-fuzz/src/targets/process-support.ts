import { fileURLToPath } from 'node:url';

/** The repository root (this file is packages/api-fuzz/src/targets/). */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** Polls `url` until it answers 200 (a listening service can still be opening its stores). */
export async function waitHealthy(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status === 200) {
        return;
      }
      last = `${res.status} ${await res.text()}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} not healthy in ${timeoutMs} ms: ${last}`);
}
