import { describe, expect, it } from 'vitest';
import { commonErrorResponses, defineRoute } from '../common/route.js';
import { z } from '../common/zod.js';
import { isObject, type Json, type JsonObject, mapObjects } from './json-tree.js';
import { buildDocument, type Surface } from './surface.js';
import { surfaces } from './surfaces.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function operations(doc: Json): { id: string; op: JsonObject }[] {
  const paths = isObject(doc) && isObject(doc.paths) ? doc.paths : {};
  return Object.entries(paths).flatMap(([path, item]) =>
    Object.entries(isObject(item) ? item : {})
      .filter(([method, op]) => METHODS.includes(method) && isObject(op))
      .map(([method, op]) => ({ id: `${method} ${path}`, op: op as JsonObject })),
  );
}

const docOf = (surface: Surface) => JSON.parse(JSON.stringify(buildDocument(surface))) as Json;
const responses = (op: JsonObject) => Object.keys(isObject(op.responses) ? op.responses : {});

describe.each(surfaces.map((s) => [s.name, s] as const))('the %s document', (_name, surface) => {
  const doc = docOf(surface);

  it('has servers, a licence and declared tags on every operation', () => {
    expect(doc).toMatchObject({
      info: { license: { identifier: 'Apache-2.0' } },
      servers: [{ url: expect.stringMatching(/^http:\/\/\{host\}:\d+$/) }],
    });
    const declared = (isObject(doc) && Array.isArray(doc.tags) ? doc.tags : []).map((t) =>
      isObject(t) ? t.name : undefined,
    );
    for (const { id, op } of operations(doc)) {
      expect(Array.isArray(op.tags) && op.tags.length > 0, id).toBe(true);
      for (const tag of Array.isArray(op.tags) ? op.tags : []) {
        expect(declared, id).toContain(tag);
      }
    }
  });

  it('spells every nullable reference anyOf [$ref, null], never allOf with a null type', () => {
    mapObjects(doc, (node) => {
      for (const part of Array.isArray(node.allOf) ? node.allOf : []) {
        const type = isObject(part) ? part.type : undefined;
        expect(type === 'null' || (Array.isArray(type) && type.includes('null'))).toBe(false);
      }
      return node;
    });
  });

  it('documents 415 exactly on body operations of the kit, 413 only with a body', () => {
    for (const { id, op } of operations(doc)) {
      const hasBody = op.requestBody !== undefined;
      expect(responses(op).includes('415'), id).toBe(
        hasBody && surface.bodyResponses !== undefined,
      );
      if (!hasBody) {
        expect(responses(op), id).not.toContain('413');
      }
    }
  });
});

describe('request and response sides', () => {
  const Settings = z
    .object({ name: z.string(), level: z.int().default(3), note: z.string().optional() })
    .openapi('Settings');
  const Owner = z
    .object({ settings: Settings, previous: Settings.nullable().describe('Before the last put') })
    .openapi('Owner');
  const put = defineRoute({
    method: 'put',
    path: '/settings',
    operationId: 'putSettings',
    summary: 'Replace the settings',
    tags: ['t'],
    request: { body: z.object({ owner: Owner }).openapi('PutBody') },
    responses: { 200: { description: 'Saved', schema: Owner }, ...commonErrorResponses },
  });
  const doc = docOf({
    ...(surfaces[0] as Surface),
    tags: { t: 'test' },
    routes: { put },
    securitySchemes: {},
  }) as { components: { schemas: Record<string, JsonObject> }; paths: JsonObject };

  it('spells a nullable reference anyOf [$ref, null], its annotations beside', () => {
    expect(doc.components.schemas.Owner?.properties).toMatchObject({
      previous: {
        anyOf: [{ $ref: '#/components/schemas/Settings' }, { type: 'null' }],
        description: 'Before the last put',
      },
    });
  });

  it('makes a defaulted key required in responses and optional in requests', () => {
    expect(doc.components.schemas.Settings?.required).toEqual(['name', 'level']);
    const body = JSON.stringify(doc.paths['/settings']);
    // The request inlines the input side of Settings (through PutBody and Owner)…
    expect(body).toContain('"required":["name"]');
    // …and components nothing references any more are gone.
    expect(Object.keys(doc.components.schemas).sort()).toEqual([
      'ErrorCode',
      'ErrorEnvelope',
      'Owner',
      'Settings',
    ]);
  });
});
