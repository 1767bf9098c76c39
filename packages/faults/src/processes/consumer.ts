/**
 * The real read-model consumer of a fault-suite world (batch mode, chunks of
 * 50), in a process of its own (the SIGKILL scenario kills it mid-batch).
 * Prints "ready" once it joined; SIGTERM stops it in order. Run with
 * `node --import tsx`; the world's names come in FAULTS_WORLD (JSON).
 */
import {
  collections,
  connectMongo,
  faultsLogger,
  kafkaFor,
  readModelConsumer,
} from '../pipeline';
import type { WorldNames } from '../pipeline';

async function main(): Promise<void> {
  const names = JSON.parse(process.env.FAULTS_WORLD ?? '') as WorldNames;
  const logger = faultsLogger(process.env.FAULTS_LOG_LEVEL ?? 'silent');
  const client = await connectMongo(names.mongoUri);
  const { views } = collections(client.db(names.dbName));
  const consumer = readModelConsumer(
    names,
    views,
    kafkaFor(names, 'faults-consumer', logger),
    logger,
    'batch',
  );
  await consumer.start();
  process.stdout.write('ready\n');
  process.once('SIGTERM', () => {
    void consumer
      .stop()
      .then(() => client.close())
      .then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
