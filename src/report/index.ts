import { formatCodequality } from './codequality.js';
import { formatGithub } from './github.js';
import { formatHtml } from './html.js';
import { formatJson } from './json.js';
import { formatJunit } from './junit.js';
import { formatMarkdown } from './markdown.js';
import { formatSarif } from './sarif.js';
import { formatText } from './text.js';
import type { Formatter } from './types.js';

export type { CodeQualityIssue, CodeQualitySeverity } from './codequality.js';
export type { JsonFinding, JsonNotice, JsonReport } from './json.js';
export type { FormatOptions, Formatter, RotHistory, RuleMeta, ToolInfo } from './types.js';

/** The output formats, in the order `--help` lists them; `text` is the default. */
export const formats = ['text', 'json', 'github', 'markdown', 'sarif', 'junit', 'codequality', 'html'] as const;

/** The name of an output format. */
export type FormatName = (typeof formats)[number];

/** Each output format's formatter, by name. */
export const formatters: Readonly<Record<FormatName, Formatter>> = {
  text: formatText,
  json: formatJson,
  github: formatGithub,
  markdown: formatMarkdown,
  sarif: formatSarif,
  junit: formatJunit,
  codequality: formatCodequality,
  html: formatHtml,
};
