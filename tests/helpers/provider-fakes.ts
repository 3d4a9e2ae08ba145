/**
 * The set-up every provider test shares: the fake APIs and a page server started once per file,
 * their records cleared after each test, and the engine options that point one provider at its fake.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { CheckUrlsOptions } from '../../src/net/index.js';
import type { ProviderName } from '../../src/types.js';
import { loopbackLookup, startFakeApis, startPageServer, type FakeApis, type PageServer } from './fake-apis.js';
import { testNetConfig } from './net-config.js';

export interface ProviderFakes {
  readonly apis: FakeApis;
  readonly pages: PageServer;
  /** The waits the engine asked for (the delay records them and returns at once). */
  readonly waits: number[];
  /** Engine options with `provider` at its fake, every name resolving to 127.0.0.1. */
  options(overrides?: Partial<CheckUrlsOptions>): CheckUrlsOptions;
}

export interface ProviderFakeSetup {
  readonly provider: ProviderName;
  /** The path of the provider's fake on the API server: `/graphql`, `/npm`, `/oembed`, `/se`. */
  readonly apiPath: string;
  /** The status the sites' own pages answer with. */
  readonly pageStatus: number;
  /** Scripts the fakes once they are up. */
  readonly setUp?: (apis: FakeApis) => void;
  /** Clears what a test may have scripted, after each test. */
  readonly reset?: (apis: FakeApis) => void;
  /** Options every check of this file gets. */
  readonly defaults?: (apis: FakeApis) => Partial<CheckUrlsOptions>;
}

/** Registers the hooks of one provider test file and returns its fakes. */
export function useProviderFakes(setup: ProviderFakeSetup): ProviderFakes {
  let apis: FakeApis | undefined;
  let pages: PageServer | undefined;
  const waits: number[] = [];
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the fakes start in beforeAll');
    return value;
  };
  beforeAll(async () => {
    apis = await startFakeApis();
    setup.setUp?.(apis);
    pages = await startPageServer(setup.pageStatus);
  });
  afterAll(async () => {
    await apis?.close();
    await pages?.close();
  });
  afterEach(() => {
    const fakes = started(apis);
    fakes.requests.length = 0;
    started(pages).requests.length = 0;
    started(pages).paths.clear();
    waits.length = 0;
    setup.reset?.(fakes);
  });
  return {
    get apis() {
      return started(apis);
    },
    get pages() {
      return started(pages);
    },
    waits,
    options(overrides = {}) {
      const fakes = started(apis);
      return {
        config: { ...testNetConfig(), providers: { [setup.provider]: { url: `${fakes.origin}${setup.apiPath}` } } },
        userAgent: 'waymark-test',
        lookup: loopbackLookup,
        delay: async (ms) => void waits.push(ms),
        random: () => 0.5,
        ...setup.defaults?.(fakes),
        ...overrides,
      };
    },
  };
}
