export {
  type CheckUrlOptions,
  checkUrl,
  type HostMatch,
  isNonPublicAddress,
  matchAllowedHost,
  NetGuardRefused,
  type PrivateAddressPolicy,
  type RefusalReason,
  type Resolve,
  resolveAll,
} from './address-policy.js';
export {
  DEFAULT_KEPT_HEADERS,
  type FetchPolicy,
  type FetchRequest,
  type FetchResult,
  guardedFetch,
  NetGuardTimeout,
} from './guarded-fetch.js';
export { type GuardedRequest, guardedRequest } from './guarded-request.js';
