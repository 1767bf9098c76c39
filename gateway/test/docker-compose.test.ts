import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KAFKA_VERSION } from '@conecta/devstack';
import { composeService } from '@conecta/test-kit';
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
  });

  it('builds the gateway in stages and runs it as a non-root user without dev dependencies', () => {
    const dockerfile = readFileSync(
      join(__dirname, '..', 'Dockerfile'),
      'utf8',
    );
    expect(dockerfile).toMatch(/^FROM .+ AS runtime$/m);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
  });
});
