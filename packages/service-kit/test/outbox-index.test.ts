import { isolatedInfra } from '@conecta/devstack';
import type { IsolatedInfra } from '@conecta/devstack';
import { createLogger } from '../src/index';
import { createGadgetService, gadgetEnv } from './fixtures/gadget-service';

// The relay's marker index on an outbox collection that a mongoose model
// declares and syncs at start: the sync must keep it, or every start drops
// it and the relay builds it again over the whole collection (0.9 s for
// certification's certificates at scale 100, its claims unindexed meanwhile).

let infra: IsolatedInfra;
let service: ReturnType<typeof createGadgetService>;

beforeAll(async () => {
  infra = isolatedInfra('service_kit_outbox_index');
  service = createGadgetService(
    gadgetEnv(infra),
    createLogger({ name: 'outbox-index-test', level: 'silent' }),
  );
  await service.start(0);
});

afterAll(async () => {
  await service?.stop();
  await infra?.cleanup();
});

it("keeps the relay's marker index through the model's index sync at start", async () => {
  const { gadgets, gadgetModel } = service.stores;
  const marker = (await gadgets.indexes()).find(
    (index) => JSON.stringify(index.key) === '{"outboxPending":1}',
  );
  expect(marker).toBeDefined();
  // What the next start's `syncIndexes()` would drop or create: nothing.
  expect(await gadgetModel.diffIndexes()).toEqual({ toDrop: [], toCreate: [] });
});
