/**
 * The HTTP engine: checks each unique external URL once, politely and concurrently, and
 * classifies every outcome.
 */
export { openCache, maxFailureAge, type CacheOptions, type UrlCache } from './cache.js';
export {
  checkUrls,
  createUrlChecker,
  type CheckOptions,
  type CheckUrlsOptions,
  type UrlChecker,
  type UrlCheckerOptions,
  type UrlCheckRun,
} from './checker.js';
export { defaultUserAgent } from './client.js';
export { classify } from './errors.js';
export { isPrivateAddress, systemLookup } from './guard.js';
export { defaultSentinelHosts, detectOffline, judgeNetwork, type NetworkJudgement } from './offline.js';
export type {
  FragmentStatus,
  FragmentUnverifiableReason,
  IsPrivate,
  Lookup,
  LookupAddress,
  NetConfig,
  RequestEvent,
  UrlResult,
} from './types.js';
export type { PlannedUrl } from '../types.js';
export { planUrls, urlKey, type UrlKey } from '../plan/url-key.js';
