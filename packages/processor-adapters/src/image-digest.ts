import type Docker from 'dockerode';
import { isPinned, normaliseDigest } from './digest.js';

function repositoryOf(image: string): string {
  const at = image.lastIndexOf('@');
  const name = at === -1 ? image : image.slice(0, at);
  // A tag follows the last `:` after the last `/` (a registry port comes before it).
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(0, colon) : name;
}

/**
 * The digest of the image a container created from `image` runs. A pinned reference names its
 * digest; a tag is resolved through the engine (its repo digest, else the image id).
 */
export async function resolveImageDigest(docker: Docker, image: string): Promise<string> {
  if (isPinned(image)) {
    return normaliseDigest(image) as string;
  }
  const info = await docker.getImage(image).inspect();
  const repo = repositoryOf(image);
  const repoDigests = info.RepoDigests ?? [];
  const own = repoDigests.find((d) => repositoryOf(d) === repo) ?? repoDigests[0];
  return normaliseDigest(own) ?? info.Id;
}
