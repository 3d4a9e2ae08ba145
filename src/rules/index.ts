import { deadLink } from './dead-link.js';
import { duplicateLink } from './duplicate-link.js';
import { emptyLink } from './empty-link.js';
import { githubArchived } from './github-archived.js';
import { insecureLink } from './insecure-link.js';
import { linkText } from './link-text.js';
import { missingAnchor } from './missing-anchor.js';
import { missingFile } from './missing-file.js';
import { redirect } from './redirect.js';
import { remoteFragment } from './remote-fragment.js';
import { soft404 } from './soft-404.js';
import type { Rule } from './rule.js';
import { tocMismatch } from './toc-mismatch.js';
import { trackingParam } from './tracking-param.js';
import { unusedDefinition } from './unused-definition.js';
import { unverifiable } from './unverifiable.js';

/** Every rule, in the order their findings are produced for a line. */
export const rules: readonly Rule[] = [
  deadLink,
  missingFile,
  missingAnchor,
  remoteFragment,
  emptyLink,
  redirect,
  insecureLink,
  trackingParam,
  unverifiable,
  soft404,
  unusedDefinition,
  duplicateLink,
  linkText,
  tocMismatch,
  githubArchived,
];
