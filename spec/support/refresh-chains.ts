// Refresh load for the fault specs: N refresh token chains, each rotating its own family through real HTTP
// as fast as the server answers, as an app with a token cache would. A chain keeps the last refresh token it
// received, retries it after a 503 (as Retry-After asks, only sooner), and records every answer, so a spec
// can say what the server did while Redis failed, and whether every chain survived it.
import { createHash } from 'node:crypto';
import type { Client } from '../../lib';

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('base64url');

/** The family id a refresh token carries (its part before the dot), as the store keys it. */
export const familyIdOf = (refreshToken: string): string => sha256(refreshToken.split('.')[0] as string);

export interface UnexpectedAnswer {
  readonly chain: number;
  readonly status: number | 'no answer';
  readonly body: string;
  readonly ms: number;
}

/** One chain: the token it holds and what it saw. */
export interface Chain {
  readonly index: number;
  /** The last refresh token this chain received: the one it presents next. */
  latest: string;
  /** Every refresh token this chain presented and got 200 for, with how many times (must be 1 each). */
  readonly redeemed: Map<string, number>;
  /** Answers by status: 200 and 503 are expected while Redis fails, anything else ends the chain. */
  readonly statuses: Map<number, number>;
  /** 200s since `markRound()`. */
  successesSinceMark: number;
  /** 503s that lacked Retry-After or the temporarily_unavailable body. */
  malformed503: number;
  slowestMs: number;
  /** Set when the chain stopped on an answer other than 200 or 503. */
  lost: UnexpectedAnswer | undefined;
}

const UNAVAILABLE_BODY = JSON.stringify({
  error: 'temporarily_unavailable',
  error_description: 'the server is temporarily unable to handle the request; retry later',
});

/** Chains against `baseUrl`'s token endpoint (mounted at /oauth2), authenticating as `client`. */
export class RefreshChains {
  readonly chains: Chain[];
  private running = false;
  private loops: Array<Promise<void>> = [];

  constructor(
    private readonly baseUrl: string,
    private readonly client: Client,
    firstTokens: readonly string[],
    /** A request that takes longer than this is cut off and counted as no answer (a hang). */
    private readonly abortAfterMs: number,
  ) {
    this.chains = firstTokens.map((latest, index) => ({
      index,
      latest,
      redeemed: new Map(),
      statuses: new Map(),
      successesSinceMark: 0,
      malformed503: 0,
      slowestMs: 0,
      lost: undefined,
    }));
  }

  start(): void {
    this.running = true;
    this.loops = this.chains.map((chain) => this.run(chain));
  }

  /** Lets every chain finish the request it is in, and stops them. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** Starts counting successes afresh, for `waitForSuccesses`. */
  markRound(): void {
    for (const chain of this.chains) chain.successesSinceMark = 0;
  }

  /**
   * Resolves once every chain has `count` successes since the last `markRound()`; throws after
   * `timeoutMs`, naming the chains that did not get there (and what stopped the lost ones).
   */
  async waitForSuccesses(count: number, timeoutMs: number): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (this.chains.every((c) => c.successesSinceMark >= count)) return;
      if (this.chains.every((c) => c.successesSinceMark >= count || c.lost !== undefined)) break;
      await sleep(25);
    }
    const behind = this.chains.filter((c) => c.successesSinceMark < count);
    if (behind.length === 0) return;
    throw new Error(
      `${behind.length} of ${this.chains.length} chains did not get ${count} refreshes through: ` +
        JSON.stringify(behind.map((c) => ({ chain: c.index, lost: c.lost, statuses: Object.fromEntries(c.statuses) }))),
    );
  }

  /** One refresh with the chain's latest token. */
  async refreshOnce(chain: Chain): Promise<{ status: number | 'no answer'; retryAfter: string | null; body: string; ms: number }> {
    const started = Date.now();
    try {
      const res = await fetch(`${this.baseUrl}/oauth2/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${this.client.clientId}:${this.client.clientSecret as string}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: chain.latest }).toString(),
        signal: AbortSignal.timeout(this.abortAfterMs),
      });
      const body = await res.text();
      return { status: res.status, retryAfter: res.headers.get('retry-after'), body, ms: Date.now() - started };
    } catch {
      return { status: 'no answer', retryAfter: null, body: '', ms: Date.now() - started };
    }
  }

  private async run(chain: Chain): Promise<void> {
    while (this.running) {
      const presented = chain.latest;
      const answer = await this.refreshOnce(chain);
      chain.slowestMs = Math.max(chain.slowestMs, answer.ms);
      if (answer.status === 200) {
        const next = (JSON.parse(answer.body) as { refresh_token: string }).refresh_token;
        chain.redeemed.set(presented, (chain.redeemed.get(presented) ?? 0) + 1);
        chain.latest = next;
        chain.successesSinceMark += 1;
      } else if (answer.status === 503) {
        if (answer.retryAfter !== '1' || answer.body !== UNAVAILABLE_BODY) chain.malformed503 += 1;
        await sleep(50);
      } else {
        chain.lost = { chain: chain.index, status: answer.status, body: answer.body, ms: answer.ms };
      }
      if (typeof answer.status === 'number') chain.statuses.set(answer.status, (chain.statuses.get(answer.status) ?? 0) + 1);
      if (chain.lost !== undefined) return;
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
