import type { RequestContextArgs } from '@conecta/service-kit';
import type { DeliveryWorker } from './delivery/worker';
import type { Stores } from './store';

/** What every resolver receives: who asks, the stores, and the delivery worker. */
export interface Context extends RequestContextArgs {
  stores: Stores;
  /** Woken after a mutation makes a delivery due (a replay, a test webhook). */
  worker: Pick<DeliveryWorker, 'notify'>;
  /** NODE_ENV is production: the SSRF rule refuses http and internal hosts. */
  production: boolean;
}
