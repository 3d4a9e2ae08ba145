/**
 * Types of the HTTP engine: its options, the result of checking one URL and the outcome of a
 * fragment check. The verdict (`TargetStatus`) and the result types live in src/types.ts.
 */
import type { Config } from '../config/types.js';
import type { NetError } from '../types.js';

/** The configuration keys the HTTP engine reads. */
export type NetConfig = Pick<
  Config,
  | 'concurrency'
  | 'hostConcurrency'
  | 'hosts'
  | 'providers'
  | 'connectTimeout'
  | 'headersTimeout'
  | 'timeout'
  | 'maxRedirects'
  | 'retries'
  | 'recheckDelay'
  | 'allowPrivate'
  | 'insecure'
  | 'proxy'
>;

/** One address a host name resolves to. */
export interface LookupAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Resolves a host name to all its addresses; rejects with a DNS error (`ENOTFOUND`, `EAI_AGAIN`) when it cannot. */
export type Lookup = (hostname: string) => Promise<readonly LookupAddress[]>;

/** Decides whether an IP address (v4 or v6, without brackets) must never be fetched. */
export type IsPrivate = (address: string) => boolean;

// The result types are shared by every layer above the engine, so they live in src/types.ts.
export type { FragmentStatus, FragmentUnverifiableReason, UrlResult } from '../types.js';

/** Reported after every HTTP request, for `--verbose` logging. */
export interface RequestEvent {
  readonly method: 'HEAD' | 'GET' | 'POST';
  readonly url: string;
  /** The response status, when there was a response. */
  readonly status?: number;
  /** The failure, when there was no response. */
  readonly error?: NetError;
  readonly durationMs: number;
}
