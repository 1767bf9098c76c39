import { loadConfig } from '@conecta/service-kit';
import { composeImage, composeService } from '@conecta/test-kit';
import { trainingConfig } from '../../src/env';

// docker compose cannot run on the build machines, so the file is kept honest here.
describe('docker-compose.yml', () => {
  const { environment, definition } = composeService('training');

  it('gives training every variable its config requires, with valid values', () => {
    expect(() => loadConfig(trainingConfig, environment)).not.toThrow();
    expect(environment.MONGODB_URI).toContain('/conecta_training');
    expect(environment.PORT).toBe('4004');
  });

  it('builds training from the shared Dockerfile for its workspace and health-checks it', () => {
    expect(composeImage('training')).toMatchObject({
      workspace: '@conecta/training',
      appDir: 'services/training',
    });
    expect(definition.healthcheck?.test).toBeDefined();
  });

  it('lets the gateway reach training', () => {
    const gateway = composeService('gateway').environment;
    expect(gateway.TRAINING_URL).toBe('http://training:4004/graphql');
  });
});
