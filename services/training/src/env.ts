import { z } from 'zod';
import { loadConfigOrExit } from '@conecta/service-kit';
import {
  DEFAULT_DISCOUNT_CAP_BPS,
  DISCOUNT_CEILING_BPS,
  MAX_BROKER_MARKUP_BPS,
  MAX_FUND_SHARE_BPS,
} from './domain/money';

const bps = (max: number, fallback: string) =>
  z
    .string()
    .default(fallback)
    .pipe(
      z
        .string()
        .regex(/^\d+$/, 'must be an integer number of basis points')
        .transform(Number)
        .pipe(
          z
            .number()
            .int()
            .max(max, `must be at most ${max} basis points (${max / 100}%)`),
        ),
    );

/**
 * training's own variables, over service-kit's `baseConfig`:
 *
 * | variable | meaning | default |
 * | --- | --- | --- |
 * | `BROKER_MARKUP_BPS` | broker's markup on the negotiated price, basis points (≤ 3000) | `500` (5 %) |
 * | `MATCHING_FUND_SHARE_BPS` | fund share assumed when ranking offers, basis points (≤ 8000) | `5000` (50 %, the programs' average) |
 * | `RECONCILE_INTERVAL_MS` | pause between the reconciler's passes; `0`: only the pass at start | `30000` |
 * | `VENDOR_DISCOUNT_CAP_BPS` | highest discount a new agreement may have, basis points (0–9000) | `7000` (70 %, the seeds' figure) |
 */
export const trainingConfig = {
  BROKER_MARKUP_BPS: bps(MAX_BROKER_MARKUP_BPS, '500'),
  MATCHING_FUND_SHARE_BPS: bps(MAX_FUND_SHARE_BPS, '5000'),
  // Issue 17: the seeds say vendor discounts go up to 70 %; 90 % (the old
  // hard-coded cap) is the most configuration may allow.
  VENDOR_DISCOUNT_CAP_BPS: bps(
    DISCOUNT_CEILING_BPS,
    String(DEFAULT_DISCOUNT_CAP_BPS),
  ),
  // A crash's leftovers are repaired at the next start anyway; the periodic
  // pass covers an instance that keeps running while another one crashed.
  RECONCILE_INTERVAL_MS: z
    .string()
    .default('30000')
    .pipe(
      z
        .string()
        .regex(/^\d+$/, 'must be a whole number of milliseconds')
        .transform(Number),
    ),
};

/** Parses process.env once; every bad variable is reported together, then exit 1. */
export function readConfig() {
  return loadConfigOrExit(trainingConfig);
}
