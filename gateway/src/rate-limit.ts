import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

// Limits are per minute: long enough to absorb a page load's burst, short
// enough that a blocked client recovers quickly.
const WINDOW_SECONDS = 60;

export interface RateLimitSettings {
  /** Requests per minute per IP address; 0 turns the IP limit off. */
  perIp: number;
}

/** Seconds until the client may try again, or undefined when allowed. */
export type RateDecision = number | undefined;

/**
 * In-memory rate limits (one gateway instance; several instances behind a
 * load balancer each enforce the limit, so the effective limit is N×). A
 * client over its limit gets a decision to answer 429 with `Retry-After`.
 */
export function createRateLimits({ perIp }: RateLimitSettings) {
  const byIp =
    perIp > 0
      ? new RateLimiterMemory({
          keyPrefix: 'ip',
          points: perIp,
          duration: WINDOW_SECONDS,
        })
      : undefined;
  // Keys carry their own limits: one limiter per distinct limit value.
  const byKeyLimit = new Map<number, RateLimiterMemory>();

  async function consume(
    limiter: RateLimiterMemory,
    key: string,
  ): Promise<RateDecision> {
    try {
      await limiter.consume(key);
      return undefined;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes)
        return Math.max(1, Math.ceil(rejection.msBeforeNext / 1_000));
      throw rejection;
    }
  }

  return {
    consumeIp(ip: string): Promise<RateDecision> {
      return byIp ? consume(byIp, ip) : Promise.resolve(undefined);
    },
    /**
     * Gives back the point a request took from its IP once its API key proved
     * valid: a partner's traffic counts against its key, and the IP limit
     * still stopped the lookup of every key that did not.
     */
    async refundIp(ip: string): Promise<void> {
      if (byIp) await byIp.reward(ip, 1);
    },
    consumeApiKey(id: string, perMinute: number): Promise<RateDecision> {
      let limiter = byKeyLimit.get(perMinute);
      if (!limiter) {
        limiter = new RateLimiterMemory({
          keyPrefix: `key${perMinute}`,
          points: perMinute,
          duration: WINDOW_SECONDS,
        });
        byKeyLimit.set(perMinute, limiter);
      }
      return consume(limiter, id);
    },
  };
}

export type RateLimits = ReturnType<typeof createRateLimits>;
