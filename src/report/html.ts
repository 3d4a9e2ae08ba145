/**
 * The HTML report: one self-contained page (inline CSS and a little JS, no request to anywhere,
 * works from `file://`) with the findings grouped by file and filterable by rule and severity, a
 * table per host (URLs, requests, median and p95 latency, 429s received, verdicts) and, after a
 * `waymark rot` run, a timeline of every rotten or watching URL, one cell per run.
 */
import { isUntried, type CheckedUrl, type Finding, type Report } from '../types.js';
import { groupByFile, messageWithHint, plural, problemPhrase, scopePhrase } from './text.js';
import type { FormatOptions, RotHistory } from './types.js';

/** Escapes text for HTML content and attribute values. */
function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Where a finding's line is: the file at the checked commit when known, else the path itself. */
function lineHref(file: string, line: number, base: string | undefined): string {
  const path = file.split('/').map(encodeURIComponent).join('/');
  return base === undefined ? `${path}#L${line}` : `${base.replace(/\/?$/, '/')}${path}#L${line}`;
}

function findingRow(finding: Finding, base: string | undefined): string {
  const { line, column } = finding.range.start;
  return `<tr class="finding" data-rule="${escape(finding.ruleId)}" data-severity="${finding.severity}">
<td><a href="${escape(lineHref(finding.file, line, base))}">${line}:${column}</a></td>
<td><span class="sev ${finding.severity}">${finding.severity}</span></td>
<td><code>${escape(finding.ruleId)}</code></td>
<td>${escape(messageWithHint(finding))}</td></tr>`;
}

/** The value at quantile `q` of sorted numbers (nearest rank). */
function quantile(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

type Verdict = 'ok' | 'failed' | 'unverifiable' | 'unchecked';

function verdictOf(url: CheckedUrl): Verdict {
  switch (url.status.kind) {
    case 'ok':
      return 'ok';
    case 'http-error':
    case 'net-error':
      return 'failed';
    case 'unverifiable':
      return isUntried(url.status) ? 'unchecked' : 'unverifiable';
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** One row per host, the busiest first. */
function hostRows(report: Report): string[] {
  const hosts = new Map<string, CheckedUrl[]>();
  for (const url of report.urls ?? []) {
    const host = hostOf(url.url);
    const list = hosts.get(host);
    if (list === undefined) hosts.set(host, [url]);
    else list.push(url);
  }
  return [...hosts]
    .toSorted((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))
    .map(([host, urls]) => {
      const times = urls.filter((url) => url.requests > 0).map((url) => url.durationMs).toSorted((a, b) => a - b);
      const counts: Record<Verdict, number> = { ok: 0, failed: 0, unverifiable: 0, unchecked: 0 };
      for (const url of urls) counts[verdictOf(url)]++;
      const ms = (value: number | undefined): string => (value === undefined ? '–' : `${Math.round(value)} ms`);
      const verdicts = (Object.keys(counts) as Verdict[]).filter((verdict) => counts[verdict] > 0).map((verdict) => `<span class="v ${verdict}">${counts[verdict]} ${verdict}</span>`);
      return `<tr class="host"><td><code>${escape(host)}</code></td><td>${urls.length}</td><td>${urls.reduce((sum, url) => sum + url.requests, 0)}</td><td>${ms(quantile(times, 0.5))}</td><td>${ms(quantile(times, 0.95))}</td><td>${report.rateLimited?.[host] ?? 0}</td><td>${verdicts.join(' ')}</td></tr>`;
    });
}

function timeline(history: RotHistory): string {
  const runs = history.runs;
  const head = runs.map((run) => `<th title="${escape(run)}">${escape(run.slice(5, 10))}</th>`).join('');
  const rows = history.entries.map((entry) => {
    const cells = runs.map((_, i) => {
      const outcome = entry.history[entry.history.length - runs.length + i];
      return `<td class="cell ${outcome ?? 'none'}" title="${outcome ?? 'not checked'}"></td>`;
    });
    return `<tr class="rot ${entry.standing}"><td><code>${escape(entry.url)}</code></td><td>${entry.standing}</td><td>${escape(entry.firstFailed?.slice(0, 10) ?? '')}</td>${cells.join('')}</tr>`;
  });
  return `<section id="timeline"><h2>Link rot timeline</h2>
<table class="timeline"><thead><tr><th>URL</th><th>Standing</th><th>Failing since</th>${head}</tr></thead><tbody>
${rows.join('\n')}
</tbody></table></section>`;
}

const style = `:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--err:#cf222e;--warn:#9a6700;--ok:#1a7f37;--un:#8250df}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--err:#ff7b72;--warn:#d29922;--ok:#3fb950;--un:#bc8cff}}
body{margin:0 auto;max-width:72rem;padding:1rem;background:var(--bg);color:var(--fg);font:14px/1.5 system-ui,sans-serif}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}h3{font-size:1rem;margin:1.5rem 0 .5rem}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
code{font:12px ui-monospace,monospace;word-break:break-all}a{color:inherit}
.sev.error{color:var(--err);font-weight:600}.sev.warning{color:var(--warn);font-weight:600}
.v{margin-right:.5rem}.v.ok{color:var(--ok)}.v.failed{color:var(--err)}.v.unverifiable{color:var(--un)}.v.unchecked{color:var(--muted)}
.filters{display:flex;gap:1rem;flex-wrap:wrap;align-items:center;margin:1rem 0}.muted{color:var(--muted)}
.timeline th{white-space:nowrap}.cell{width:1.4rem;min-width:1.4rem;border:2px solid var(--bg)}.cell.ok{background:var(--ok)}.cell.failed{background:var(--err)}.cell.unverifiable{background:var(--un)}.cell.none{background:transparent}
.hidden{display:none}`;

/** Hides the rows (and files) the two filters leave out; runs from `file://`, needs nothing else. */
const script = `const rule=document.getElementById('rule'),severity=document.getElementById('severity');
function apply(){let shown=0;for(const file of document.querySelectorAll('.file')){let any=false;for(const row of file.querySelectorAll('tr.finding')){const keep=(rule.value===''||row.dataset.rule===rule.value)&&(severity.value===''||row.dataset.severity===severity.value);row.classList.toggle('hidden',!keep);if(keep){any=true;shown++;}}file.classList.toggle('hidden',!any);}document.getElementById('shown').textContent=String(shown);}
rule.addEventListener('change',apply);severity.addEventListener('change',apply);apply();`;

/**
 * Formats a report as one self-contained HTML page; see the module comment. `options.sourceBase`
 * makes the line links point at the checked commit; `options.rot` adds the timeline.
 */
export function formatHtml(report: Report, options: FormatOptions): string {
  const { summary } = report;
  const problems = problemPhrase(summary);
  const verdict = problems === undefined ? `No problems in ${scopePhrase(summary)}.` : `${problems} in ${scopePhrase(summary)}.`;
  const rules = [...new Set(report.findings.map((finding) => finding.ruleId))].sort();
  const files = groupByFile(report.findings).map(
    (group) => `<section class="file"><h3><code>${escape(group.file)}</code> &middot; <span class="muted">${plural(group.findings.length, 'finding')}</span></h3>
<table><thead><tr><th>Line</th><th>Severity</th><th>Rule</th><th>Message</th></tr></thead><tbody>
${group.findings.map((finding) => findingRow(finding, options.sourceBase)).join('\n')}
</tbody></table></section>`,
  );
  const hosts = hostRows(report);
  const offline = report.offline ? `<p class="muted">External links were not checked${report.offlineReason === 'requested' ? ' (--offline)' : ' because the network is unreachable'}.</p>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>${escape(options.tool.name)} report</title>
<style>${style}</style>
</head>
<body>
<h1>${escape(options.tool.name)} report</h1>
<p id="verdict">${escape(verdict)}</p>
${offline}
<section id="findings"><h2>Findings</h2>
<div class="filters"><label>Rule <select id="rule"><option value="">all</option>${rules.map((rule) => `<option>${escape(rule)}</option>`).join('')}</select></label>
<label>Severity <select id="severity"><option value="">all</option><option>error</option><option>warning</option></select></label>
<span class="muted"><span id="shown">${report.findings.length}</span> shown</span></div>
${files.length === 0 ? '<p>Nothing to report.</p>' : files.join('\n')}
</section>
<section id="hosts"><h2>Hosts</h2>
${hosts.length === 0 ? '<p>No external URLs.</p>' : `<table><thead><tr><th>Host</th><th>URLs</th><th>Requests</th><th>Median</th><th>p95</th><th>429s</th><th>Verdicts</th></tr></thead><tbody>\n${hosts.join('\n')}\n</tbody></table>`}
</section>
${options.rot === undefined ? '' : timeline(options.rot)}
<footer class="muted"><p>${escape(options.tool.name)} ${escape(options.tool.version)}</p></footer>
<script>${script}</script>
</body>
</html>
`;
}
