import type { Config } from '../config/types.js';
import type {
  AnchorLookup,
  Document,
  Edit,
  Finding,
  Link,
  Range,
  ResolvedLink,
  RuleId,
  Severity,
} from '../types.js';

export type { AnchorLookup, AnchorMatch, ResolvedLink } from '../types.js';

/** What a rule reads: one document, its resolved links, the anchor index and the config. */
export interface RuleContext {
  readonly document: Document;
  /** One entry per `document.links` entry, in the same order. */
  readonly resolved: readonly ResolvedLink[];
  readonly anchors: AnchorLookup;
  readonly config: Config;
}

/** Extra parts of a finding besides its message. */
export interface EmitExtra {
  readonly hint?: string;
  readonly fix?: Edit;
  readonly url?: string;
}

/** Reports one finding at a link (its range and URL are taken from it) or at a bare range. */
export type Emit = (at: Link | { readonly range: Range }, message: string, extra?: EmitExtra) => void;

/** A rule as written in its own file: metadata plus a pure function. */
export interface RuleDefinition {
  readonly id: RuleId;
  /** One line, reused by `--help`, the README and SARIF. */
  readonly description: string;
  /** The default severity; config may override it. */
  readonly severity: Severity;
  /** Off unless the config sets its level (`"warn"` or `"error"`); `severity` is the level it would have. */
  readonly isOptIn?: boolean;
  run(context: RuleContext, emit: Emit): void;
}

/** A registered rule: its definition plus the link to its documentation. */
export interface Rule extends RuleDefinition {
  readonly docsUrl: string;
  /** Runs the rule and returns its findings, stamped with id, severity and file. */
  check(context: RuleContext, severity: Severity): Finding[];
}

/** Where the README documents each rule; a rule's section is `README.md#<rule-id>`. */
export const docsBase = 'README.md';

/** Turns a rule definition into a registered rule that stamps id, severity and file on its findings. */
export function defineRule(definition: RuleDefinition): Rule {
  return {
    ...definition,
    docsUrl: `${docsBase}#${definition.id}`,
    check(context, severity) {
      const findings: Finding[] = [];
      definition.run(context, (at, message, extra = {}) => {
        const url = extra.url ?? ('url' in at ? at.url : undefined);
        findings.push({
          ruleId: definition.id,
          severity,
          file: context.document.file,
          range: at.range,
          ...(url === undefined ? {} : { url }),
          message,
          ...(extra.hint === undefined ? {} : { hint: extra.hint }),
          ...(extra.fix === undefined ? {} : { fix: extra.fix }),
        });
      });
      return findings;
    },
  };
}
