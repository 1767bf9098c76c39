import { isolatedInfra } from '@conecta/devstack';
import { ConfigResourceTypes, Kafka } from 'kafkajs';
import { createKafka, ensureTopics, TOPIC_RETENTION, topicFor } from '../src';
import { testLogger } from './support/observe';

// An event topic is the history read models are rebuilt from, and where a new
// consumer group starts: with Kafka's default retention (7 days) a rebuild on
// any older deployment would silently lose everything before last week.
describe('topics the services create', () => {
  const infra = isolatedInfra('events_retention');
  afterAll(() => infra.cleanup(), 60_000);

  it('keep every message forever (no time or size limit)', async () => {
    const kafka = createKafka({
      brokers: infra.kafkaBrokers,
      clientId: 'retention-test',
      logger: testLogger(),
    });
    const topic = topicFor('training', infra.topicPrefix);
    await ensureTopics(kafka, [topic]);
    const admin = new Kafka({
      brokers: infra.kafkaBrokers,
      logLevel: 0,
    }).admin();
    await admin.connect();
    try {
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: topic,
            configNames: TOPIC_RETENTION.map((entry) => entry.name),
          },
        ],
      });
      const settings = Object.fromEntries(
        resources[0]!.configEntries.map((e) => [e.configName, e.configValue]),
      );
      expect(settings).toEqual({
        'retention.ms': '-1',
        'retention.bytes': '-1',
      });
    } finally {
      await admin.disconnect();
    }
  });
});
