import { loadConfig } from '@conecta/service-kit';
import { composeImage, composeService } from '@conecta/test-kit';
import { committeesConfig } from '../../src/env';

// docker compose cannot run on the build machines, so the file is kept honest here.
describe('docker-compose.yml', () => {
  const { environment, definition } = composeService('committees');

  it('gives committees every variable its config requires, with valid values', () => {
    expect(() => loadConfig(committeesConfig, environment)).not.toThrow();
  });

  it('builds committees from the shared Dockerfile for its workspace and health-checks it', () => {
    expect(composeImage('committees')).toMatchObject({
      workspace: '@conecta/committees',
      appDir: 'services/committees',
    });
    expect(definition.healthcheck?.test).toBeDefined();
  });
});
