import type { CatalogModel } from '@agentplane/contracts';

// llama-orch's trust policy (control.yaml TrustPolicy): `strict` refuses what it requires and
// does not get (UNTRUSTED_ARTIFACT); `permissive` (or none) accepts, and the caller warns.
// Signatures are taken as the admin states them (`verified`): no cosign check is made here.

/** The registry of an image reference: its first component when that is a host, else docker.io. */
export function registryOf(image: string): string {
  const slash = image.indexOf('/');
  const first = slash < 0 ? '' : image.slice(0, slash);
  return /[.:]/.test(first) || first === 'localhost' ? first : 'docker.io';
}

/** What the policy misses, one sentence each (empty: acceptable). */
export function trustGaps(model: CatalogModel): string[] {
  const policy = model.trust_policy ?? {};
  const gaps: string[] = [];
  if (policy.require_signature === true && !(model.signatures ?? []).some((s) => s.verified)) {
    gaps.push('a verified signature is required and none is given');
  }
  if (policy.require_sbom === true && model.sbom?.uri === undefined) {
    gaps.push('an SBOM is required and none is given');
  }
  const allowed = policy.allowed_registries ?? [];
  if (allowed.length > 0) {
    const registry = model.source_url === undefined ? undefined : registryOf(model.source_url);
    if (registry === undefined || !allowed.includes(registry)) {
      gaps.push(`the registry ${registry ?? '(none: no source_url)'} is not allowed`);
    }
  }
  return gaps;
}

/** Whether the gaps refuse the entry: only under `strict`. */
export function isStrict(model: CatalogModel): boolean {
  return model.trust_policy?.mode === 'strict';
}
