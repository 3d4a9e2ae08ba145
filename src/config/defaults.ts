import type { Config } from './types.js';

/**
 * The configuration used when neither a config file nor a flag says otherwise.
 *
 * `rules` is empty so each rule keeps its own default severity; `repository` and `defaultBranch`
 * are absent because they can't be guessed.
 */
export const defaultConfig: Config = {
  rules: {},
  exclude: [],
  ignoreUrls: [],
  allowTracking: [],
  offline: false,
  concurrency: 64,
  hostConcurrency: 8,
  hosts: {},
  providers: {},
  connectTimeout: 10_000,
  headersTimeout: 15_000,
  timeout: 30_000,
  maxRedirects: 10,
  retries: 2,
  recheckDelay: 5_000,
  failOn: 'error',
  allowPrivate: false,
  insecure: false,
  requireNetwork: false,
  cache: false,
  parseCache: true,
  maxCacheAge: 86_400,
  nonDescriptiveText: ['here', 'click here', 'link', 'this', 'this link', 'read more', 'more', 'click', 'learn more', 'see here'],
};
