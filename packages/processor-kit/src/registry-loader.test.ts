import { describe, expect, it } from 'vitest';
import { parseRegistry } from './registry-loader.js';

const valid = `ref: text/summarize@1
runtime: { cpu: "1", memory_gb: 2, timeout_s: 60, gpu: null }
secrets: { required: [OPENAI_API_KEY] }
inputs:
  $schema: "https://json-schema.org/draft-07/schema#"
  type: object
  required: [text]
  properties: { text: { type: string } }
outputs:
  - { path: outputs/response.txt, mime: text/plain, description: Main response }
`;

describe('parseRegistry', () => {
  it('accepts the seed shape and applies defaults', () => {
    const registry = parseRegistry(valid);
    expect(registry.ref).toBe('text/summarize@1');
    expect(registry.secrets).toEqual({ required: ['OPENAI_API_KEY'], one_of: [] });
    expect(registry.runtime.gpu).toBeNull();
  });

  it('names the field of each problem', () => {
    const bad = valid
      .replace('timeout_s: 60', 'timeout_s: -1')
      .replace('text/summarize@1', 'Text/summarize');
    expect(() => parseRegistry(bad, 'x/registry.yaml')).toThrow(
      /x\/registry\.yaml: invalid registry\.yaml\n {2}ref: .*\n {2}runtime\.timeout_s: /,
    );
  });

  it('names a missing section and an unknown one', () => {
    const bad = valid.replace(/outputs:[\s\S]*$/, 'output: []\n');
    const message = (() => {
      try {
        parseRegistry(bad);
        return '';
      } catch (err) {
        return (err as Error).message;
      }
    })();
    expect(message).toMatch(/outputs: /);
    expect(message).toMatch(/output/);
  });

  it('refuses malformed YAML with its position', () => {
    expect(() => parseRegistry('ref: [unclosed\n')).toThrow(/YAML: /);
  });

  it('refuses an inputs schema that is not valid JSON Schema', () => {
    const bad = valid.replace(
      'properties: { text: { type: string } }',
      'properties: { text: { type: strung } }',
    );
    expect(() => parseRegistry(bad)).toThrow(/inputs: not a valid JSON Schema/);
  });

  it('refuses an image not pinned by digest', () => {
    const bad = `${valid}image:\n  platforms: { amd64: "ghcr.io/x/y:latest" }\n`;
    expect(() => parseRegistry(bad)).toThrow(
      /image\.platforms\.amd64: expected an image pinned by digest/,
    );
  });
});
