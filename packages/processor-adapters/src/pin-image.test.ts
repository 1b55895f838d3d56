import { expect, test } from 'vitest';
import { parse } from 'yaml';
import { pinImage, withoutImage } from './pin-image.js';

const ref = (c: string) => `localhost/agentplane-processor-x@sha256:${c.repeat(64)}`;
const body = `
runtime: { cpu: "1", memory_gb: 2, timeout_s: 60 }
inputs:
  required: [text]
  properties:
    text: { type: string,   minLength: 1 } # odd spacing stays
`;
const registry = `# the processor's registry
ref: text/summarize@1 # stays

image:
  platforms:
    amd64: ${ref('a')} # old
  default_platform: amd64
${body}`;

test('pinImage replaces only the digest-pinned reference, byte for byte', () => {
  expect(pinImage(registry, 'amd64', ref('b'))).toBe(registry.replace(ref('a'), ref('b')));
});

test('pinImage adds a platform beside the others in their indentation', () => {
  const out = pinImage(registry, 'arm64', ref('c'));
  expect(out).toBe(registry.replace('    amd64:', `    arm64: ${ref('c')}\n    amd64:`));
});

test('pinImage adds an image section after ref: and leaves the rest as it was', () => {
  const plain = `ref: text/summarize@1\n${body}`;
  const out = pinImage(plain, 'amd64', ref('d'));
  expect(out.endsWith(body)).toBe(true);
  expect(parse(out).image).toEqual({ platforms: { amd64: ref('d') }, default_platform: 'amd64' });
});

test('pinImage refuses an unpinned reference', () => {
  expect(() => pinImage(registry, 'amd64', 'localhost/x:dev')).toThrow();
});

test('withoutImage drops the image section and keeps the rest', () => {
  const out = parse(withoutImage(registry));
  expect(out.image).toBeUndefined();
  expect(out.ref).toBe('text/summarize@1');
});
