import type Docker from 'dockerode';
import { statusOf } from './docker-errors.js';

// What the container host knows an image by, for the catalog's digest checks: its ID (the
// config digest, what `docker images --digests` calls IMAGE ID) and the manifest digests of its
// RepoDigests (what a `repo@sha256:…` pin names; Podman records one for local builds too).

const SHA256 = /^sha256:[0-9a-f]{64}$/;

/** `sha256:…` digests of an inspected image: its ID first, then its manifest digests, unique. */
export function digestsOf(info: Pick<Docker.ImageInspectInfo, 'Id' | 'RepoDigests'>): string[] {
  const id = info.Id.startsWith('sha256:') ? info.Id : `sha256:${info.Id}`;
  const manifests = (info.RepoDigests ?? []).map((ref) => ref.slice(ref.lastIndexOf('@') + 1));
  return [...new Set([id, ...manifests])].filter((d) => SHA256.test(d));
}

/**
 * The digests of image `ref` on this host, or undefined when it has no such image (404, or a
 * reference the API cannot parse: it names no image either). Other failures are thrown.
 */
export async function imageDigestsOn(docker: Docker, ref: string): Promise<string[] | undefined> {
  try {
    return digestsOf(await docker.getImage(ref).inspect());
  } catch (err) {
    const status = statusOf(err);
    if (status === 404 || (status === 400 && /reference|repository/i.test(String(err)))) {
      return undefined;
    }
    throw err;
  }
}
