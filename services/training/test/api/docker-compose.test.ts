import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '@conecta/service-kit';
import { composeService } from '@conecta/test-kit';
import { trainingConfig } from '../../src/env';

// docker compose cannot run on the build machines, so the file is kept honest here.
describe('docker-compose.yml', () => {
  const { environment, definition } = composeService('training');

  it('gives training every variable its config requires, with valid values', () => {
    expect(() => loadConfig(trainingConfig, environment)).not.toThrow();
    expect(environment.MONGODB_URI).toContain('/conecta_training');
    expect(environment.PORT).toBe('4004');
  });

  it('builds training from its own Dockerfile and health-checks it', () => {
    expect(definition.build?.dockerfile).toBe('services/training/Dockerfile');
    expect(definition.healthcheck?.test).toBeDefined();
  });

  it('lets the gateway reach training', () => {
    const gateway = composeService('gateway').environment;
    expect(gateway.TRAINING_URL).toBe('http://training:4004/graphql');
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
