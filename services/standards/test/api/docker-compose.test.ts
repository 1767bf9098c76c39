import { loadConfig } from '@conecta/service-kit';
import { composeImage, composeService } from '@conecta/test-kit';
import { standardsConfig } from '../../src/env';

// docker compose cannot run on the build machines, so the file is kept honest here.
describe('docker-compose.yml', () => {
  const { environment, definition } = composeService('standards');

  it('gives standards every variable its config requires, with valid values', () => {
    expect(() => loadConfig(standardsConfig, environment)).not.toThrow();
  });

  it('builds standards from the shared Dockerfile for its workspace and health-checks it', () => {
    expect(composeImage('standards')).toMatchObject({
      workspace: '@conecta/standards',
      appDir: 'services/standards',
    });
    expect(definition.healthcheck?.test).toBeDefined();
  });
});
