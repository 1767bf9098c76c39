import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '@conecta/service-kit';
import { composeService } from '@conecta/test-kit';
import { standardsConfig } from '../../src/env';

// docker compose cannot run on the build machines, so the file is kept honest here.
describe('docker-compose.yml', () => {
  const { environment, definition } = composeService('standards');

  it('gives standards every variable its config requires, with valid values', () => {
    expect(() => loadConfig(standardsConfig, environment)).not.toThrow();
  });

  it('builds standards from its own Dockerfile and health-checks it', () => {
    expect(definition.build?.dockerfile).toBe('services/standards/Dockerfile');
    expect(definition.healthcheck?.test).toBeDefined();
  });

  it('builds in stages and runs as a non-root user without dev dependencies', () => {
    const dockerfile = readFileSync(
      join(__dirname, '..', '..', 'Dockerfile'),
      'utf8',
    );
    expect(dockerfile).toMatch(/^FROM .+ AS runtime$/m);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
  });
});
