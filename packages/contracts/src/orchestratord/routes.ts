import {
  authErrorResponses,
  commonErrorResponses,
  defineRoute,
  errorResponse,
} from '../common/route.js';
import { getServiceHealth } from '../common/service-health.js';
import {
  AdmitBody,
  AdmitResponse,
  AuditQuery,
  AuditResponse,
  DestroyResponse,
  EngineWithKey,
  FleetStatus,
  LifecycleResponse,
  ListEnginesQuery,
  ListEnginesResponse,
  Product,
  ProductParams,
  ProductPolicy,
  ProvisionBody,
  RegisterProductBody,
  RegisterProductResponse,
  RotateKeyResponse,
  UserParams,
  WaitQuery,
  WaitResponse,
} from './schemas.js';

/** `X-Platform-Key`: a product's key; every engine route is scoped to that product. */
export const PLATFORM_KEY_SCHEME = 'platformKey';
/** `X-Admin-Key`: ORCH_ADMIN_KEY, for product registration and policy. */
export const ADMIN_KEY_SCHEME = 'adminKey';

const guarded = { ...commonErrorResponses, ...authErrorResponses } as const;
const adminGuarded = {
  ...guarded,
  403: errorResponse('A platform key was sent where the admin key is required (FORBIDDEN)'),
} as const;
const notFound = errorResponse('No engine for this user in this product (NOT_FOUND)');
const illegal = errorResponse(
  'The engine’s state does not allow this operation now (INVALID_STATE); details.status says why',
);
const rateLimited = errorResponse(
  'Over the product’s rate_limit_rpm (RATE_LIMITED) or max_engines (QUOTA_EXCEEDED); ' +
    'Retry-After says when to retry',
);
const bootTimeout = errorResponse(
  'The engine was not healthy within ORCH_BOOT_TIMEOUT_S (BOOT_TIMEOUT); it was cleaned up',
);
const driverFailures = {
  422: errorResponse(
    'The engine image does not exist on the host (IMAGE_NOT_FOUND); details.image names it',
  ),
  502: errorResponse(
    'The container engine or process spawn failed (DRIVER_ERROR); details.cause has its words',
  ),
} as const;
const noPort = errorResponse('No free port in [ORCH_PORT_MIN, ORCH_PORT_MAX] (PORT_EXHAUSTION)');

export const registerProduct = defineRoute({
  method: 'post',
  path: '/products/register',
  operationId: 'registerProduct',
  summary: 'Register a product and get its platform key (shown once)',
  tags: ['products'],
  security: ADMIN_KEY_SCHEME,
  request: { body: RegisterProductBody },
  responses: {
    201: { description: 'Registered', schema: RegisterProductResponse },
    ...adminGuarded,
    409: errorResponse('The slug is taken (CONFLICT)'),
  },
});

export const putProductPolicy = defineRoute({
  method: 'put',
  path: '/products/{product_id}/policy',
  operationId: 'putProductPolicy',
  summary: 'Replace a product’s policy (applies from the next request)',
  tags: ['products'],
  security: ADMIN_KEY_SCHEME,
  request: { params: ProductParams, body: ProductPolicy },
  responses: {
    200: { description: 'The product with its new policy', schema: Product },
    ...adminGuarded,
    404: errorResponse('No such product (NOT_FOUND)'),
  },
});

export const provisionEngine = defineRoute({
  method: 'post',
  path: '/engines/provision',
  operationId: 'provisionEngine',
  summary: 'Create a user’s engine and wait until it is healthy',
  description:
    'The engine key is returned here and by GET /engines/{user_id} and admit; the engine gets ' +
    'only its SHA-256.',
  tags: ['engines'],
  security: PLATFORM_KEY_SCHEME,
  request: { body: ProvisionBody },
  responses: {
    201: { description: 'Running and healthy', schema: EngineWithKey },
    ...guarded,
    409: errorResponse(
      'The user already has an engine (CONFLICT), or the image is Retired in the catalog ' +
        '(MODEL_DEPRECATED)',
    ),
    ...driverFailures,
    429: rateLimited,
    503: noPort,
    504: bootTimeout,
  },
});

export const listEngines = defineRoute({
  method: 'get',
  path: '/engines',
  operationId: 'listEngines',
  summary: 'The product’s engines, oldest first, with cursor pagination (never a key)',
  tags: ['engines'],
  security: PLATFORM_KEY_SCHEME,
  request: { query: ListEnginesQuery },
  responses: {
    200: { description: 'One page', schema: ListEnginesResponse },
    ...guarded,
  },
});

export const getEngine = defineRoute({
  method: 'get',
  path: '/engines/{user_id}',
  operationId: 'getEngine',
  summary: 'One engine, with its current key',
  tags: ['engines'],
  security: PLATFORM_KEY_SCHEME,
  request: { params: UserParams },
  responses: {
    200: { description: 'The engine', schema: EngineWithKey },
    ...guarded,
    404: notFound,
  },
});

const lifecycleRoute = <const Id extends string>(
  operationId: Id,
  action: string,
  summary: string,
) =>
  defineRoute({
    method: 'post',
    path: `/engines/{user_id}/${action}`,
    operationId,
    summary,
    tags: ['engines'],
    security: PLATFORM_KEY_SCHEME,
    request: { params: UserParams },
    responses: {
      200: { description: 'The engine after the transition', schema: LifecycleResponse },
      ...guarded,
      404: notFound,
      409: illegal,
      ...driverFailures,
      504: bootTimeout,
    },
  });

export const startEngine = lifecycleRoute(
  'startEngine',
  'start',
  'Start a stopped, sleeping or failed engine; falls back to a fresh container on its volume',
);
export const stopEngine = lifecycleRoute(
  'stopEngine',
  'stop',
  'Stop a running engine: SIGTERM, grace, SIGKILL; the brain stays',
);
export const sleepEngine = lifecycleRoute(
  'sleepEngine',
  'sleep',
  'Put a running engine to sleep now (what the idle detector does); admit wakes it',
);

export const destroyEngine = defineRoute({
  method: 'delete',
  path: '/engines/{user_id}',
  operationId: 'destroyEngine',
  summary: 'Remove the engine, its volume (the brain), its port and its row',
  tags: ['engines'],
  security: PLATFORM_KEY_SCHEME,
  request: { params: UserParams },
  responses: {
    200: { description: 'Destroyed', schema: DestroyResponse },
    ...guarded,
    404: notFound,
  },
});

export const rotateEngineKey = defineRoute({
  method: 'post',
  path: '/engines/{user_id}/rotate-key',
  operationId: 'rotateEngineKey',
  summary: 'Issue a new engine key; the old one stays valid for ORCH_KEY_ROTATION_OVERLAP_S',
  tags: ['engines'],
  security: PLATFORM_KEY_SCHEME,
  request: { params: UserParams },
  responses: {
    200: { description: 'The new key', schema: RotateKeyResponse },
    ...guarded,
    404: notFound,
    409: illegal,
    502: errorResponse('The engine refused or failed the key swap (UPSTREAM_ERROR)'),
  },
});

export const admitEngine = defineRoute({
  method: 'post',
  path: '/engines/{user_id}/admit',
  operationId: 'admitEngine',
  summary: 'The per-request entry point: an engine url and key, or a reasoned denial',
  description:
    'Rate limit → lookup → provision when the policy has auto_provision → wake a sleeping or ' +
    'stopped engine unless auto_wake is false. Idempotent: call it on every user request.',
  tags: ['engines'],
  security: PLATFORM_KEY_SCHEME,
  request: { params: UserParams, body: AdmitBody },
  responses: {
    200: { description: 'Admitted, or denied with a reason', schema: AdmitResponse },
    ...guarded,
    409: errorResponse(
      'auto_provision would start an image Retired in the catalog (MODEL_DEPRECATED)',
    ),
    ...driverFailures,
    429: rateLimited,
    503: noPort,
    504: bootTimeout,
  },
});

export const waitEngine = defineRoute({
  method: 'get',
  path: '/engines/{user_id}/wait',
  operationId: 'waitEngine',
  summary: 'Wait (without polling) until the engine reaches a state, or timeout_s passes',
  tags: ['engines'],
  security: PLATFORM_KEY_SCHEME,
  request: { params: UserParams, query: WaitQuery },
  responses: {
    200: {
      description: 'The state reached, or the current one with reached=false',
      schema: WaitResponse,
    },
    ...guarded,
    404: notFound,
  },
});

export const getFleetStatus = defineRoute({
  method: 'get',
  path: '/status',
  operationId: 'getFleetStatus',
  summary: 'The product’s fleet: counts by status, health, the last hour’s events',
  tags: ['fleet'],
  security: PLATFORM_KEY_SCHEME,
  responses: {
    200: { description: 'Snapshot', schema: FleetStatus },
    ...guarded,
  },
});

export const listAudit = defineRoute({
  method: 'get',
  path: '/audit',
  operationId: 'listAudit',
  summary: 'The product’s append-only audit log, oldest first after `after`',
  tags: ['fleet'],
  security: PLATFORM_KEY_SCHEME,
  request: { query: AuditQuery },
  responses: {
    200: { description: 'Entries', schema: AuditResponse },
    ...guarded,
  },
});

export const orchestratordRoutes = {
  getHealth: getServiceHealth,
  registerProduct,
  putProductPolicy,
  provisionEngine,
  listEngines,
  getEngine,
  startEngine,
  stopEngine,
  sleepEngine,
  destroyEngine,
  rotateEngineKey,
  admitEngine,
  waitEngine,
  getFleetStatus,
  listAudit,
} as const;
export type OrchestratordRoutes = typeof orchestratordRoutes;
