const DIGEST = /^sha256:[a-f0-9]{64}$/;

/**
 * `sha256:<hex>` from either `sha256:<hex>` or a pinned reference `repo/image@sha256:<hex>` (the
 * seed accepts both forms); undefined for anything else, e.g. `unknown` or a tag.
 */
export function normaliseDigest(value: string | undefined): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  const trimmed = value.trim().toLowerCase();
  const candidate = trimmed.slice(trimmed.lastIndexOf('@') + 1);
  return DIGEST.test(candidate) ? candidate : undefined;
}

/** True when `image` names its content (`…@sha256:…`), so it resolves to exactly one image. */
export function isPinned(image: string): boolean {
  const at = image.lastIndexOf('@');
  return at > 0 && DIGEST.test(image.slice(at + 1).toLowerCase());
}
