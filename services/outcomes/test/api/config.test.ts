import { loadConfig } from '@conecta/service-kit';
import { outcomesConfig, rebuildConfig } from '../../src/env';

const BASE = {
  SERVICE_NAME: 'outcomes',
  PORT: '4005',
  MONGODB_URI: 'mongodb://127.0.0.1:27017/conecta_outcomes',
  KAFKA_BROKERS: '127.0.0.1:9092',
  IDENTITY_SECRET: 'test-identity-secret-with-at-least-32-characters',
};

describe('outcomes config', () => {
  it('defaults to a threshold of 5 and equal survey weights', () => {
    const config = loadConfig(outcomesConfig, BASE);
    expect(config.SUPPRESSION_THRESHOLD).toBe(5);
    expect(config.SURVEY_WEIGHTS.ENGLISH).toBe(1);
  });

  it('reads survey weights as FACTOR=weight pairs', () => {
    const config = loadConfig(outcomesConfig, {
      ...BASE,
      SURVEY_WEIGHTS: 'TECHNICAL_SKILL=3, ENGLISH=0.5',
    });
    expect(config.SURVEY_WEIGHTS).toMatchObject({
      TECHNICAL_SKILL: 3,
      ENGLISH: 0.5,
      TEAMWORK: 1,
    });
  });

  it('reports a bad threshold and an unknown factor together', () => {
    expect(() =>
      loadConfig(outcomesConfig, {
        ...BASE,
        SUPPRESSION_THRESHOLD: 'five',
        SURVEY_WEIGHTS: 'CHARISMA=2',
      }),
    ).toThrow(
      /SUPPRESSION_THRESHOLD[\s\S]*SURVEY_WEIGHTS|SURVEY_WEIGHTS[\s\S]*SUPPRESSION_THRESHOLD/,
    );
  });
});

describe('rebuild command config', () => {
  it('needs nothing the HTTP server needs, and defaults to the local devstack', () => {
    const config = loadConfig(rebuildConfig, {});
    expect(config).toMatchObject({
      SERVICE_NAME: 'outcomes-rebuild',
      MONGODB_URI: 'mongodb://127.0.0.1:27017/conecta_outcomes',
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      KAFKA_TOPIC_PREFIX: '',
      LOG_LEVEL: 'warn',
    });
    expect(config.PORT).toBeUndefined();
  });

  it("reads the service's variables by the same names", () => {
    expect(() =>
      loadConfig(rebuildConfig, { ...BASE, MONGODB_URI: 'postgres://db' }),
    ).toThrow(/MONGODB_URI/);
    expect(
      loadConfig(rebuildConfig, { ...BASE, KAFKA_TOPIC_PREFIX: 'ci-' }),
    ).toMatchObject({ PORT: 4005, KAFKA_TOPIC_PREFIX: 'ci-' });
  });
});
