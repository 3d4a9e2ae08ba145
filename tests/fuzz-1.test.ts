import { defineFuzzShard } from './helpers/fuzz.js';

// Half of the fuzz test's cases; see tests/helpers/fuzz.ts.
defineFuzzShard(1, 2);
