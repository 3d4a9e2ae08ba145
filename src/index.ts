/**
 * Waymark's library API: `check()` returns the same `Report` the CLI prints.
 *
 * This file only re-exports; a test pins the list. The command line is `waymark/cli`, so
 * importing the library never loads it.
 */
export { check } from './check/index.js';
export type { CheckOptions, Io } from './check/index.js';
export { loadConfig } from './config/load.js';
export type { LoadConfigOptions, LoadedConfig } from './config/load.js';
export { defaultConfig } from './config/defaults.js';
export type { Config, HostConfig } from './config/types.js';
export { ConfigError } from './config/errors.js';
export { InputError } from './errors.js';
export { formats, formatters } from './report/index.js';
export type {
  CodeQualityIssue,
  CodeQualitySeverity,
  FormatName,
  FormatOptions,
  Formatter,
  JsonFinding,
  JsonNotice,
  JsonReport,
  RuleMeta,
} from './report/index.js';
export { rules } from './rules/index.js';
export type { Rule } from './rules/rule.js';
export type * from './types.js';
export { assertNever } from './types.js';
