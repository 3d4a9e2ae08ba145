import type { Writable } from 'node:stream';
import type { RequestEvent, UrlResult } from '../net/index.js';

/** How often the progress line may be redrawn, in milliseconds. */
const redrawEvery = 100;

/**
 * One progress line on a terminal's stderr: checked/total, failures so far and the hosts with the
 * most URLs still waiting. It redraws in place and is cleared when the run ends.
 */
export class Progress {
  readonly #stream: Writable;
  readonly #now: () => number;
  readonly #waiting = new Map<string, number>();
  #total = 0;
  #done = 0;
  #failed = 0;
  #drawnAt = -Infinity;
  #drawn = false;

  constructor(stream: Writable, now: () => number = Date.now) {
    this.#stream = stream;
    this.#now = now;
  }

  /** Records the URLs about to be checked. */
  plan(urls: readonly string[]): void {
    this.#total = urls.length;
    for (const url of urls) {
      const host = hostOf(url);
      this.#waiting.set(host, (this.#waiting.get(host) ?? 0) + 1);
    }
    this.#draw(true);
  }

  /** Records one finished URL. */
  result(result: UrlResult): void {
    this.#done++;
    if (result.status.kind === 'http-error' || result.status.kind === 'net-error') this.#failed++;
    const host = hostOf(result.url);
    const left = (this.#waiting.get(host) ?? 1) - 1;
    if (left <= 0) this.#waiting.delete(host);
    else this.#waiting.set(host, left);
    this.#draw(this.#done === this.#total);
  }

  /** Clears the line. */
  finish(): void {
    if (this.#drawn) this.#stream.write('\r\u001b[2K');
    this.#drawn = false;
  }

  /** The current line, without terminal control codes. */
  line(): string {
    const slow = [...this.#waiting]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([host, count]) => `${host} (${count})`);
    const failed = this.#failed === 0 ? '' : `, ${this.#failed} failed`;
    return `Checking URLs ${this.#done}/${this.#total}${failed}${slow.length === 0 ? '' : `; waiting on ${slow.join(', ')}`}`;
  }

  #draw(force: boolean): void {
    const now = this.#now();
    if (!force && now - this.#drawnAt < redrawEvery) return;
    this.#drawnAt = now;
    this.#drawn = true;
    this.#stream.write(`\r\u001b[2K${this.line()}`);
  }
}

/** One `--verbose` log line for an HTTP request. */
export function requestLine(event: RequestEvent): string {
  const outcome = event.status === undefined ? (event.error?.kind ?? 'error') : String(event.status);
  return `waymark: ${event.method} ${outcome} ${event.url} ${Math.round(event.durationMs)} ms`;
}

function hostOf(url: string): string {
  return URL.canParse(url) ? new URL(url).host : url;
}
