import { PinnedImage } from '@agentplane/contracts';
import { isMap, isScalar, type Node, parseDocument, type Range } from 'yaml';

type Platform = 'amd64' | 'arm64';

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEnd(text: string, offset: number): number {
  const end = text.indexOf('\n', offset);
  return end === -1 ? text.length : end + 1;
}

function rangeOf(node: unknown): Range | undefined {
  return (node as Node | undefined)?.range ?? undefined;
}

/**
 * registry.yaml text with `image.platforms.<platform>` set to `imageRef` (`repo@sha256:…`) and
 * every other byte unchanged: the edit is spliced into the source at the positions the parser
 * reports, so comments and formatting survive. A registry without an `image` section gets one
 * after its `ref:` line, with `default_platform` set to `platform`.
 */
export function pinImage(text: string, platform: Platform, imageRef: string): string {
  PinnedImage.parse(imageRef);
  const doc = parseDocument(text, { keepSourceTokens: true });
  if (doc.errors.length > 0) {
    throw new Error(`registry.yaml does not parse: ${doc.errors[0]?.message}`);
  }
  const current = doc.getIn(['image', 'platforms', platform], true);
  const currentRange = rangeOf(current);
  if (isScalar(current) && currentRange) {
    return text.slice(0, currentRange[0]) + imageRef + text.slice(currentRange[1]);
  }
  const platforms = doc.getIn(['image', 'platforms'], true);
  const firstKey =
    isMap(platforms) && !platforms.flow ? rangeOf(platforms.items[0]?.key) : undefined;
  if (firstKey) {
    const at = lineStart(text, firstKey[0]);
    const indent = text.slice(at, firstKey[0]);
    return `${text.slice(0, at)}${indent}${platform}: ${imageRef}\n${text.slice(at)}`;
  }
  if (doc.get('image') === undefined) {
    const section = `\nimage:\n  platforms:\n    ${platform}: ${imageRef}\n  default_platform: ${platform}\n`;
    const ref = rangeOf(doc.get('ref', true));
    const at = ref ? lineEnd(text, ref[1]) : text.length;
    const before = text.slice(0, at);
    return `${before}${before.endsWith('\n') || before === '' ? '' : '\n'}${section}${text.slice(at)}`;
  }
  throw new Error(
    'registry.yaml has an image section this tool cannot edit in place: set image.platforms by hand',
  );
}

/**
 * registry.yaml text without its `image` section: what goes into the image itself, which cannot
 * name its own digest (and must not change whenever that digest is recorded).
 */
export function withoutImage(text: string): string {
  const doc = parseDocument(text);
  doc.delete('image');
  return doc.toString();
}
