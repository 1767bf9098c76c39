import { loadConfig } from '@conecta/service-kit';
import { composeImage, composeService } from '@conecta/test-kit';
import { outcomesConfig } from '../../src/env';

// docker compose cannot run on the build machines, so the file is kept honest here.
describe('docker-compose.yml', () => {
  const { environment, definition } = composeService('outcomes');

  it('gives outcomes every variable its config requires, with valid values', () => {
    expect(() => loadConfig(outcomesConfig, environment)).not.toThrow();
    expect(environment.MONGODB_URI).toContain('/conecta_outcomes');
    expect(environment.PORT).toBe('4005');
  });

  it('builds outcomes from the shared Dockerfile for its workspace and health-checks it', () => {
    expect(composeImage('outcomes')).toMatchObject({
      workspace: '@conecta/outcomes',
      appDir: 'services/outcomes',
    });
    expect(definition.healthcheck?.test).toBeDefined();
  });

  it('lets the gateway reach outcomes', () => {
    const gateway = composeService('gateway').environment;
    expect(gateway.OUTCOMES_URL).toBe('http://outcomes:4005/graphql');
  });
});
