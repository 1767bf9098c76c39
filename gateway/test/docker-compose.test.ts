import { KAFKA_VERSION } from '@conecta/devstack';
import { composeImage, composeService } from '@conecta/test-kit';
import { parseGatewayConfig } from '../src/env';
import { SUBGRAPHS, urlVariable } from '../src/subgraphs';

describe('docker-compose.yml', () => {
  const { environment, definition } = composeService('gateway');

  it('gives the gateway every variable its config requires, with valid values', () => {
    expect(() => parseGatewayConfig(environment)).not.toThrow();
  });

  it('points the gateway at every subgraph by its compose service name', () => {
    for (const s of SUBGRAPHS) {
      expect(environment[urlVariable(s.name)]).toMatch(
        new RegExp(`^http://${s.name}:\\d+/graphql$`),
      );
    }
  });

  it('shares one identity secret between the gateway and every subgraph', () => {
    for (const s of SUBGRAPHS) {
      expect(composeService(s.name).environment.IDENTITY_SECRET).toBe(
        environment.IDENTITY_SECRET,
      );
    }
    expect(definition.healthcheck?.test).toBeDefined();
  });

  it('runs the same Kafka version as devstack, and MongoDB 7 as a replica set', () => {
    expect(composeService('kafka').definition.image).toBe(
      `apache/kafka:${KAFKA_VERSION}`,
    );
    const mongo = composeService('mongo').definition;
    expect(mongo.image).toMatch(/^mongo:7(\.|$)/);
    expect(mongo.command).toEqual(expect.arrayContaining(['--replSet']));
    // Healthy means "a primary accepts writes", told by mongosh's exit code:
    // a printed `ok` would leave the exit code 0 whatever it says.
    expect(JSON.stringify(mongo.healthcheck?.test)).toMatch(
      /quit\(db\.hello\(\)\.isWritablePrimary \? 0 : 1\)/,
    );
  });

  it('builds the gateway from the shared Dockerfile: in stages, as a non-root user, without dev dependencies', () => {
    const image = composeImage('gateway');
    expect(image).toMatchObject({
      workspace: '@conecta/gateway',
      appDir: 'gateway',
    });
    expect(image.dockerfile).toMatch(/^FROM .+ AS runtime$/m);
    expect(image.dockerfile).toMatch(/npm prune --omit=dev/);
    expect(image.dockerfile).toMatch(/^USER node$/m);
  });
});
