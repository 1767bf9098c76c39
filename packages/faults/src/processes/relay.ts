/**
 * The real outbox relay of a fault-suite world, in a process of its own
 * (the SIGKILL scenario kills it mid-batch). Prints "ready" once started;
 * SIGTERM stops it in order. Run with `node --import tsx`; the world's names
 * come in FAULTS_WORLD (JSON).
 */
import {
  collections,
  connectMongo,
  faultsLogger,
  kafkaFor,
  relayFor,
} from '../pipeline';
import type { WorldNames } from '../pipeline';

async function main(): Promise<void> {
  const names = JSON.parse(process.env.FAULTS_WORLD ?? '') as WorldNames;
  const logger = faultsLogger(process.env.FAULTS_LOG_LEVEL ?? 'silent');
  const client = await connectMongo(names.mongoUri);
  const { sectors } = collections(client.db(names.dbName));
  const relay = relayFor(
    names,
    sectors,
    kafkaFor(names, 'faults-relay', logger),
    logger,
  );
  await relay.start();
  process.stdout.write('ready\n');
  process.once('SIGTERM', () => {
    void relay
      .stop()
      .then(() => client.close())
      .then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
