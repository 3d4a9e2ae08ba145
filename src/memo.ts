/**
 * Wraps an async lookup so each key is looked up once: later calls share the first call's
 * promise, so concurrent callers never repeat the work (one `stat` per path, one listing per
 * directory).
 */
export function memoize<K, V>(lookup: (key: K) => Promise<V>): (key: K) => Promise<V> {
  const cache = new Map<K, Promise<V>>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) {
      value = lookup(key);
      cache.set(key, value);
    }
    return value;
  };
}
