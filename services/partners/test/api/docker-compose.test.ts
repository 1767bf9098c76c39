import { loadConfig } from '@conecta/service-kit';
import { composeImage, composeService } from '@conecta/test-kit';
import { partnersConfig } from '../../src/env';

// docker compose cannot run on the build machines, so the file is kept honest here.
describe('docker-compose.yml', () => {
  const { environment, definition } = composeService('partners');

  it('gives partners every variable its config requires, with valid values, in production', () => {
    const config = loadConfig(partnersConfig, environment);
    expect(config.NODE_ENV).toBe('production');
    expect(config.WEBHOOK_GIVE_UP_AFTER_MS).toBe(86_400_000);
    expect(environment.MONGODB_URI).toContain('/conecta_partners');
    expect(environment.PORT).toBe('4006');
  });

  it('builds partners from the shared Dockerfile for its workspace and health-checks it', () => {
    expect(composeImage('partners')).toMatchObject({
      workspace: '@conecta/partners',
      appDir: 'services/partners',
    });
    expect(definition.healthcheck?.test).toBeDefined();
  });

  it('lets the gateway reach partners', () => {
    const gateway = composeService('gateway').environment;
    expect(gateway.PARTNERS_URL).toBe('http://partners:4006/graphql');
  });
});
