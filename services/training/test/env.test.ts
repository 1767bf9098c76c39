import { ConfigError, loadConfig } from '@conecta/service-kit';
import { trainingConfig } from '../src/env';

const BASE = {
  SERVICE_NAME: 'training',
  PORT: '4004',
  MONGODB_URI: 'mongodb://127.0.0.1:27017/conecta_training',
  KAFKA_BROKERS: '127.0.0.1:9092',
  IDENTITY_SECRET: 'test-identity-secret-with-at-least-32-characters',
};

/** The problems a bad environment is refused with, by variable. */
function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(trainingConfig, { ...BASE, ...env });
  } catch (error) {
    if (error instanceof ConfigError)
      return error.problems.map((p) => `${p.variable}: ${p.problem}`);
    throw error;
  }
  return [];
}

describe('the vendor discount cap (VENDOR_DISCOUNT_CAP_BPS)', () => {
  it("defaults to the seeds' 70%", () => {
    expect(loadConfig(trainingConfig, BASE).VENDOR_DISCOUNT_CAP_BPS).toBe(
      7_000,
    );
  });

  it('may be set from 0 up to 90%', () => {
    for (const value of ['0', '5500', '9000'])
      expect(
        loadConfig(trainingConfig, { ...BASE, VENDOR_DISCOUNT_CAP_BPS: value })
          .VENDOR_DISCOUNT_CAP_BPS,
      ).toBe(Number(value));
  });

  it('refuses a cap above 90%, negative or not whole basis points, naming the variable', () => {
    expect(problems({ VENDOR_DISCOUNT_CAP_BPS: '9001' })).toEqual([
      'VENDOR_DISCOUNT_CAP_BPS: must be at most 9000 basis points (90%)',
    ]);
    for (const value of ['-1', '70%', '7000.5'])
      expect(problems({ VENDOR_DISCOUNT_CAP_BPS: value })).toEqual([
        'VENDOR_DISCOUNT_CAP_BPS: must be an integer number of basis points',
      ]);
  });
});
