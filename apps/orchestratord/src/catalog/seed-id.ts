// The id ORCH_ENGINE_IMAGE's entry gets, the same on every replica and every start, so seeding
// is an idempotent insert and a task's model_ref `default` finds it without a lookup table.

const PIN = /@sha256:([0-9a-f]{64})$/;

/** The digest an image reference pins (`…@sha256:<hex>` → `sha256:<hex>`), if it pins one. */
export function pinnedDigest(image: string): string | undefined {
  const hex = PIN.exec(image)?.[1];
  return hex === undefined ? undefined : `sha256:${hex}`;
}

/**
 * `<last path component, tag joined by ->[-<12 hex of the pin>]`, e.g.
 * `localhost/agentplane-engine@sha256:13b7cac319ab…` → `agentplane-engine-13b7cac319ab`,
 * `registry:5000/team/engine:dev` → `engine-dev`, the process driver's `process` → `process`.
 */
export function seedIdOf(image: string): string {
  const at = image.lastIndexOf('@');
  const name = at < 0 ? image : image.slice(0, at);
  const last = name.slice(name.lastIndexOf('/') + 1);
  const base =
    last
      .replace(/[^A-Za-z0-9._-]/g, '-')
      .replace(/^[^A-Za-z0-9]+/, '')
      .slice(0, 100) || 'engine';
  const pin = pinnedDigest(image)?.slice('sha256:'.length, 'sha256:'.length + 12);
  const id = pin === undefined ? base : `${base}-${pin}`;
  // `default` is the alias of this very entry, never an id.
  return id === 'default' ? 'default-engine' : id;
}
