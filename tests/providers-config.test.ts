import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/defaults.js';
import { mergeConfig } from '../src/config/load.js';
import { validateConfig } from '../src/config/validate.js';
import { providerHostLimits } from '../src/net/providers/index.js';

function problem(input: unknown): string {
  try {
    validateConfig(input, 'waymark.config.json');
    return 'accepted';
  } catch (error) {
    return error instanceof Error ? `${(error as { where?: string }).where ?? ''}: ${error.message}` : String(error);
  }
}

describe('providers.<name>.url', () => {
  it('takes an http(s) URL per provider', () => {
    expect(validateConfig({ providers: { github: { url: 'https://ghe.example.test/api/graphql' }, npm: {} } }, 'x.json')).toEqual({
      providers: { github: { url: 'https://ghe.example.test/api/graphql' }, npm: {} },
    });
  });

  it('names the key path of a bad value or an unknown provider', () => {
    expect(problem({ providers: { github: { url: 'ftp://x.test/' } } })).toBe(
      'waymark.config.json: providers.github.url: expected an http(s) URL, got "ftp://x.test/"',
    );
    expect(problem({ providers: { gitlab: {} } })).toBe('waymark.config.json: providers.gitlab: unknown option; did you mean `github`?');
    expect(problem({ providers: { npm: { uri: 'https://r.test' } } })).toBe('waymark.config.json: providers.npm.uri: unknown option; did you mean `url`?');
  });

  it('merges per provider, and gives each API host its own limit', () => {
    const merged = mergeConfig(mergeConfig(defaultConfig, { providers: { npm: { url: 'https://mirror.test/npm/' } } }), {
      providers: { github: { url: 'http://127.0.0.1:9999/graphql' } },
    });
    expect(merged.providers).toEqual({ npm: { url: 'https://mirror.test/npm/' }, github: { url: 'http://127.0.0.1:9999/graphql' } });
    expect({ ...providerHostLimits(merged.providers) }).toEqual({
      '127.0.0.1:9999': { concurrency: 1 },
      'mirror.test': { concurrency: 8 },
      'www.youtube.com': { concurrency: 2 },
      'api.stackexchange.com': { concurrency: 1 },
    });
  });
});
