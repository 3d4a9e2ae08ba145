import type { Report, RuleId, Severity } from '../types.js';

/** What a formatter knows about a rule: enough for SARIF's rule table and docs links. */
export interface RuleMeta {
  readonly id: RuleId;
  /** One line, as the rule declares it. */
  readonly description: string;
  /** The rule's default severity. */
  readonly severity: Severity;
  /** Where the rule is documented. */
  readonly docsUrl: string;
}

/** The program that produced a report, as the JSON and SARIF formats name it. */
export interface ToolInfo {
  readonly name: string;
  readonly version: string;
  /** The project's home page; SARIF puts it in `tool.driver.informationUri`. */
  readonly informationUri?: string;
}

/** Everything a formatter needs besides the report itself. */
export interface FormatOptions {
  /** Whether to emit ANSI colours; the CLI decides from `NO_COLOR`, `FORCE_COLOR` and the TTY. */
  readonly color: boolean;
  /** Metadata of every registered rule, in registry order. */
  readonly rules: readonly RuleMeta[];
  readonly tool: ToolInfo;
  /** Text format only: print the finding lines and no summary (`--quiet`). */
  readonly findingsOnly?: boolean;
  /** Text format only: wrap finding lines to this many columns (the terminal's width). */
  readonly width?: number;
  /** HTML format: the URL the files' paths are relative to for line links (the checked commit's blob URL). */
  readonly sourceBase?: string;
  /** HTML format: the link rot timeline, after a `waymark rot` run. */
  readonly rot?: RotHistory;
}

/** The link rot timeline the HTML report draws: the runs, and each rotten or watching URL's outcomes. */
export interface RotHistory {
  /** The runs' dates (ISO), oldest first. */
  readonly runs: readonly string[];
  readonly entries: ReadonlyArray<{
    readonly url: string;
    readonly standing: 'rotten' | 'watching';
    readonly firstFailed?: string;
    /** Outcomes, oldest first, the last one for the last run. */
    readonly history: readonly ('ok' | 'failed' | 'unverifiable')[];
  }>;
}

/** Renders a report as the full text of one output format. */
export type Formatter = (report: Report, options: FormatOptions) => string;
