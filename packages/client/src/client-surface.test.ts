import * as contracts from '@agentplane/contracts';
import { describe, expect, it } from 'vitest';
import * as client from './index.js';

// What the contracts export but a product has no use for, and the published bundle must not
// carry (each name says why). Anything else the contracts export must be re-exported, so a new
// schema or route cannot silently miss the client.
const internal: Record<string, string> = {
  // OpenAPI document generation: pulls the generator (and openapi3-ts, yaml) into the bundle.
  buildDocument: 'generation',
  buildEngineDocument: 'generation',
  registerRoutes: 'generation',
  surfaceByName: 'generation',
  mergeDocuments: 'generation',
  orchestratordDocument: 'generation',
  ORCHESTRATORD_SURFACES: 'generation (DOCUMENT_VERSIONS carries what a product needs)',
  surfaces: 'generation (DOCUMENT_VERSIONS carries what a product needs)',
  // Declaring routes and answering them: the services' side.
  defineRoute: 'server side',
  commonErrorResponses: 'server side',
  authErrorResponses: 'server side',
  errorResponse: 'server side',
  unsupportedMediaTypeResponse: 'server side',
  malformedRequestResponse: 'server side',
  processorMalformedRequestResponse: 'server side',
  rpcValidationErrorCode: 'server side',
  // The platform catalog and processor registry files: operators and processor authors.
  AgentDefinition: 'catalog',
  CATALOG_LAYOUT: 'catalog',
  CatalogId: 'catalog',
  CoreSoul: 'catalog',
  SkillDefinition: 'catalog',
  ToolDefinition: 'catalog',
  ToolInputSchema: 'catalog',
  ToolKind: 'catalog',
  ToolName: 'catalog',
  JsonSchemaObject: 'processor registry',
  PinnedImage: 'processor registry',
  ProcessorImage: 'processor registry',
  ProcessorOutputDecl: 'processor registry',
  ProcessorRef: 'processor registry',
  ProcessorRegistry: 'processor registry',
  ProcessorRuntime: 'processor registry',
  ProcessorSecrets: 'processor registry',
  parseProcessorRef: 'processor registry',
};

describe('the client surface', () => {
  it('re-exports every contracts export a product uses, and none of the internal ones', () => {
    const exported = new Set(Object.keys(client));
    const missing = Object.keys(contracts).filter(
      (name) => !(name in internal || exported.has(name)),
    );
    expect(missing, 'add to src/index.ts, or to `internal` here with a reason').toEqual([]);
    const leaked = Object.keys(internal).filter((name) => exported.has(name));
    expect(leaked).toEqual([]);
    const stale = Object.keys(internal).filter((name) => !(name in contracts));
    expect(stale, 'no longer exported by the contracts: drop from `internal`').toEqual([]);
  });

  it('re-exports the contracts’ own objects, so schemas and errors are the same instances', () => {
    expect(client.ClientError).toBe(contracts.ClientError);
    expect(client.EngineEvent).toBe(contracts.EngineEvent);
    expect(client.engineRoutes).toBe(contracts.engineRoutes);
  });

  it('names the document version of every surface, as the contracts declare them', () => {
    expect(client.DOCUMENT_VERSIONS).toEqual(
      Object.fromEntries(contracts.surfaces.map((s) => [s.name, s.version])),
    );
    expect(Object.keys(client.DOCUMENT_VERSIONS).sort()).toEqual([
      'agent-manager',
      'engine',
      'orchestratord-catalog',
      'orchestratord-control',
      'orchestratord-data',
      'processor',
    ]);
  });
});
