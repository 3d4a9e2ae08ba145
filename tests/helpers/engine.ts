/**
 * The HTTP engine on written URLs, as the tests write them: each URL is planned into its key
 * (fragments joined), the way the plan stage does for links, and the planned URLs are checked.
 */
import { checkUrls, planUrls, type CheckUrlsOptions, type UrlCheckRun, type UrlResult } from '../../src/net/index.js';

export function checkLinks(
  requests: Iterable<{ readonly url: string; readonly fragment?: string }>,
  options: CheckUrlsOptions,
  onResult?: (result: UrlResult) => void,
): Promise<UrlCheckRun> {
  return checkUrls(planUrls(requests), options, onResult);
}
