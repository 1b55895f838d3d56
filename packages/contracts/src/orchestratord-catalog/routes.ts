import { defineRoute } from '../common/route.js';
import { ADMIN_KEY_SCHEME, PLATFORM_KEY_SCHEME } from '../orchestratord/routes.js';
import { DataErrorEnvelope } from '../orchestratord-data/errors.js';
import {
  Capabilities,
  CatalogEntry,
  CatalogModel,
  CatalogModelList,
  CatalogModelParams,
  CatalogVerification,
  SetCatalogModelStateRequest,
} from './schemas.js';

// llama-orch's catalog paths and operationIds (control.yaml); its errors are the /v1 flat
// envelope. Writes take the admin key, reads a platform key.

const err = (description: string) => ({ description, schema: DataErrorEnvelope }) as const;

const common = {
  400: err('The request is malformed or invalid (INVALID_PARAMS; details.issues lists why)'),
  401: err('The key is missing or wrong (UNAUTHORIZED)'),
  500: err('An unexpected error (INTERNAL); details are only in the log'),
} as const;
const admin = {
  ...common,
  403: err('A platform key was sent where the admin key is required (FORBIDDEN)'),
} as const;
const unknownEntry = err('No catalog entry with this id (NOT_FOUND)');
const imageChecks = {
  422: err(
    'The image is missing on a pool (IMAGE_NOT_FOUND), has another digest there, or the trust ' +
      'policy refuses it (UNTRUSTED_ARTIFACT); details say which pool and what was found',
  ),
  502: err('A pool’s container engine failed to answer (DRIVER_ERROR)'),
} as const;

export const createCatalogModel = defineRoute({
  method: 'post',
  path: '/v1/catalog/models',
  operationId: 'createCatalogModel',
  summary: 'Add an engine image to the catalog, once its digest is found on every pool',
  tags: ['catalog'],
  security: ADMIN_KEY_SCHEME,
  request: { body: CatalogModel },
  responses: {
    201: { description: 'Created (Active)', schema: CatalogEntry },
    ...admin,
    409: err('An entry with this id exists (CONFLICT)'),
    413: err('The body is over the size limit (PAYLOAD_TOO_LARGE)'),
    ...imageChecks,
  },
});

export const listCatalogModels = defineRoute({
  method: 'get',
  path: '/v1/catalog/models',
  operationId: 'listCatalogModels',
  summary: 'Every catalog entry, oldest first (beyond llama-orch v1)',
  tags: ['catalog'],
  security: PLATFORM_KEY_SCHEME,
  responses: { 200: { description: 'The catalog', schema: CatalogModelList }, ...common },
});

export const getCatalogModel = defineRoute({
  method: 'get',
  path: '/v1/catalog/models/{id}',
  operationId: 'getCatalogModel',
  summary: 'One catalog entry: digest, signatures, trust policy, state',
  tags: ['catalog'],
  security: PLATFORM_KEY_SCHEME,
  request: { params: CatalogModelParams },
  responses: {
    200: { description: 'The entry', schema: CatalogEntry },
    ...common,
    404: unknownEntry,
  },
});

export const deleteCatalogModel = defineRoute({
  method: 'delete',
  path: '/v1/catalog/models/{id}',
  operationId: 'deleteCatalogModel',
  summary: 'Remove a catalog entry (the image stays on the hosts; engines keep running)',
  tags: ['catalog'],
  security: ADMIN_KEY_SCHEME,
  request: { params: CatalogModelParams },
  responses: {
    204: { kind: 'empty', description: 'Deleted' },
    ...admin,
    404: unknownEntry,
  },
});

export const verifyCatalogModel = defineRoute({
  method: 'post',
  path: '/v1/catalog/models/{id}/verify',
  operationId: 'verifyCatalogModel',
  summary: 'Check that every pool holds the image with the entry’s digest (drift is a 422)',
  tags: ['catalog'],
  security: ADMIN_KEY_SCHEME,
  request: { params: CatalogModelParams },
  responses: {
    202: { description: 'Verified (synchronously)', schema: CatalogVerification },
    ...admin,
    404: unknownEntry,
    ...imageChecks,
  },
});

export const setCatalogModelState = defineRoute({
  method: 'post',
  path: '/v1/catalog/models/{id}/state',
  operationId: 'setCatalogModelState',
  summary:
    'Active or Retired: a Retired image admits no new engine (provision, or a task naming it: ' +
    'MODEL_DEPRECATED)',
  tags: ['catalog'],
  security: ADMIN_KEY_SCHEME,
  request: { params: CatalogModelParams, body: SetCatalogModelStateRequest },
  responses: {
    202: { description: 'The entry in its new state', schema: CatalogEntry },
    ...admin,
    404: unknownEntry,
    413: err('The body is over the size limit (PAYLOAD_TOO_LARGE)'),
  },
});

export const getCapabilities = defineRoute({
  method: 'get',
  path: '/v1/capabilities',
  operationId: 'getCapabilities',
  summary: 'The API version and one entry per catalog image, with its limits and features',
  tags: ['capabilities'],
  security: PLATFORM_KEY_SCHEME,
  responses: { 200: { description: 'Capability set', schema: Capabilities }, ...common },
});

export const orchestratordCatalogRoutes = {
  createCatalogModel,
  listCatalogModels,
  getCatalogModel,
  deleteCatalogModel,
  verifyCatalogModel,
  setCatalogModelState,
  getCapabilities,
} as const;
