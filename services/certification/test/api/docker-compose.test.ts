import { createLogger } from '@conecta/service-kit';
import { composeImage, composeService } from '@conecta/test-kit';
import { createCredentialIssuer } from '../../src/credentials/issuer';
import { loadCertificationConfig } from '../../src/env';

// docker compose cannot run on the build machines, so the file is kept honest here.
describe('docker-compose.yml', () => {
  const { environment, definition } = composeService('certification');

  it('gives certification every variable its config requires, with valid values (signing key included)', () => {
    expect(() => loadCertificationConfig(environment)).not.toThrow();
    expect(environment['NODE_ENV']).toBe('production');
  });

  it('gives a signing key that loads as Ed25519 (production never generates one)', async () => {
    const issuer = createCredentialIssuer(
      loadCertificationConfig(environment),
      createLogger({ name: 'compose-test', level: 'silent' }),
    );
    await issuer.start();
    expect(issuer.publicJwk()).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    expect(() =>
      loadCertificationConfig({ ...environment, CREDENTIAL_SIGNING_KEY: '' }),
    ).toThrow(
      /CREDENTIAL_SIGNING_KEY: is required when NODE_ENV is production/,
    );
  });

  it('builds certification from the shared Dockerfile for its workspace and health-checks it', () => {
    expect(composeImage('certification')).toMatchObject({
      workspace: '@conecta/certification',
      appDir: 'services/certification',
    });
    expect(definition.healthcheck?.test).toBeDefined();
  });

  it('points the gateway at the certification subgraph', () => {
    expect(composeService('gateway').environment['CERTIFICATION_URL']).toBe(
      'http://certification:4003/graphql',
    );
  });
});
