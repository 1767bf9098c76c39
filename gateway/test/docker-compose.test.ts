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
});
