import type { RequestContextArgs } from '@conecta/service-kit';
import type { Stores, Loaders } from './store';
import type { TrainingEvents } from './events';

/** The money terms the service is configured with (env.ts). */
export interface PricingConfig {
  /** Broker markup on the negotiated price, basis points. */
  brokerMarkupBps: number;
  /** Fund share assumed when ranking offers, basis points. */
  matchingFundShareBps: number;
  /** Highest discount a new agreement may have, basis points (`VENDOR_DISCOUNT_CAP_BPS`). */
  vendorDiscountCapBps: number;
}

/** What every resolver receives: who asks, and the service's stores and events. */
export interface Context extends RequestContextArgs {
  stores: Stores;
  /** Per-request DataLoaders: entity references are batched (N → 1 query). */
  loaders: Loaders;
  events: TrainingEvents;
  pricing: PricingConfig;
}
