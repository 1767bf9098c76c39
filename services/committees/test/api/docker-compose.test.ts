import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '@conecta/service-kit';
import { composeService } from '@conecta/test-kit';
import { committeesConfig } from '../../src/env';

// docker compose cannot run on the build machines, so the file is kept honest here.
describe('docker-compose.yml', () => {
  const { environment, definition } = composeService('committees');

  it('gives committees every variable its config requires, with valid values', () => {
    expect(() => loadConfig(committeesConfig, environment)).not.toThrow();
  });

  it('builds committees from its own Dockerfile and health-checks it', () => {
    expect(definition.build?.dockerfile).toBe('services/committees/Dockerfile');
    expect(existsSync(join(__dirname, '..', '..', 'Dockerfile'))).toBe(true);
    expect(definition.healthcheck?.test).toBeDefined();
  });
});
