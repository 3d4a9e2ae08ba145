import type { NetConfig } from '../../src/net/index.js';

/**
 * Engine settings for tests against local servers: short timeouts so failures come fast, no
 * retries unless a test asks, a 10 ms wait before the re-check of weak failures, and the address
 * guard off unless a test turns it on.
 */
export function testNetConfig(overrides: Partial<NetConfig> = {}): NetConfig {
  return {
    concurrency: 8,
    hostConcurrency: 2,
    hosts: {},
    connectTimeout: 1_000,
    headersTimeout: 300,
    timeout: 1_000,
    maxRedirects: 10,
    retries: 0,
    recheckDelay: 10,
    allowPrivate: true,
    insecure: false,
    ...overrides,
  };
}
