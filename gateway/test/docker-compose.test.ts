import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { KAFKA_VERSION } from '@conecta/devstack';
import { loadConfig } from '@conecta/service-kit';
import {
  COMPOSE_FILE,
  ComposeVariableError,
  composeImage,
  composeService,
  composeServiceNames,
  composeVariables,
  freshComposeEnv,
} from '@conecta/test-kit';
import { parseGatewayConfig } from '../src/env';
import { SUBGRAPHS, urlVariable } from '../src/subgraphs';

const ROOT = join(__dirname, '..', '..');
const SERVICES = SUBGRAPHS.map((s) => s.name);

const env = freshComposeEnv();
const file = readFileSync(COMPOSE_FILE, 'utf8');

describe('docker-compose.yml', () => {
  const { environment, definition } = composeService('gateway', env);

  it('gives the gateway every variable its config requires, valid in production', () => {
    expect(environment['NODE_ENV']).toBe('production');
    expect(() => parseGatewayConfig(environment)).not.toThrow();
  });

  it('gives every subgraph a production config that its own parser accepts', () => {
    for (const name of SERVICES) {
      const service = composeService(name, env).environment;
      expect(service['NODE_ENV']).toBe('production');
      expect(() => loadConfig({}, service)).not.toThrow();
    }
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
      expect(composeService(s.name, env).environment.IDENTITY_SECRET).toBe(
        environment.IDENTITY_SECRET,
      );
    }
    expect(definition.healthcheck?.test).toBeDefined();
  });

  it('publishes only the gateway port; /ready and /metrics stay on unpublished operator ports', () => {
    const services = composeServiceNames();
    const published = services.filter(
      (name) => (composeService(name, env).definition.ports ?? []).length > 0,
    );
    expect(published).toEqual(['gateway']);
    expect(definition.ports).toEqual(['4000:4000']);
    expect(environment['OPERATOR_PORT']).toBe('5000');
    expect(JSON.stringify(definition.healthcheck?.test)).toContain(
      '127.0.0.1:5000/ready',
    );
  });

  it('holds no secret literally: every secret comes from .env with ${VAR:?}, and compose refuses to start without it', () => {
    const variables = composeVariables();
    expect(variables.filter((v) => !v.required)).toEqual([]);
    for (const name of [
      'IDENTITY_SECRET',
      'CREDENTIAL_SIGNING_KEY',
      'MONGO_ROOT_PASSWORD',
      'KAFKA_ADMIN_PASSWORD',
      ...SERVICES.map((s) => `KAFKA_${s.toUpperCase()}_PASSWORD`),
      ...[...SERVICES, 'gateway'].map(
        (s) => `MONGO_${s.toUpperCase()}_PASSWORD`,
      ),
    ])
      expect(variables.map((v) => v.name)).toContain(name);
    // .env.example lists exactly what compose reads.
    expect(new Set(Object.keys(env))).toEqual(
      new Set(variables.map((v) => v.name)),
    );
    expect(file).not.toMatch(/BEGIN PRIVATE KEY|MC4CAQAw|change-me-\d/);
    expect(() => composeService('gateway', {})).toThrow(ComposeVariableError);
    expect(readFileSync(join(ROOT, '.gitignore'), 'utf8')).toMatch(/^\.env$/m);
  });

  it('runs MongoDB with a root user, and services connect as users of their own database', () => {
    const mongo = composeService('mongo', env);
    expect(mongo.environment['MONGO_INITDB_ROOT_PASSWORD']).toBe(
      env['MONGO_ROOT_PASSWORD'],
    );
    expect(mongo.definition.command).toEqual(
      expect.arrayContaining(['--keyFile']),
    );
    for (const name of [...SERVICES, 'gateway']) {
      const uri = new URL(
        composeService(name, env).environment['MONGODB_URI']!,
      );
      expect(uri.username).toBe(name);
      expect(uri.password).toBe(env[`MONGO_${name.toUpperCase()}_PASSWORD`]);
      expect(uri.pathname).toBe(`/conecta_${name}`);
      expect(uri.searchParams.get('authSource')).toBe(`conecta_${name}`);
    }
    const setup = JSON.stringify(composeService('mongo-setup', env).definition);
    expect(setup).toMatch(/readWrite/);
  });

  it('runs Kafka with SASL on every listener, ACLs enforced, and each service as its own SCRAM user', () => {
    const kafka = composeService('kafka', env).environment;
    expect(kafka['KAFKA_LISTENER_SECURITY_PROTOCOL_MAP']).toBe(
      'INTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT',
    );
    for (const entry of kafka['KAFKA_LISTENER_SECURITY_PROTOCOL_MAP']!.split(
      ',',
    ))
      expect(entry.split(':')[1]).toBe('SASL_PLAINTEXT');
    expect(kafka['KAFKA_ADVERTISED_LISTENERS']).toBe('INTERNAL://kafka:19092');
    expect(
      kafka['KAFKA_LISTENER_NAME_INTERNAL_SASL_ENABLED_MECHANISMS'],
    ).toContain('SCRAM-SHA-512');
    expect(kafka['KAFKA_AUTHORIZER_CLASS_NAME']).toMatch(/StandardAuthorizer$/);
    expect(kafka['KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND']).toBe('false');
    expect(kafka['KAFKA_AUTO_CREATE_TOPICS_ENABLE']).toBe('false');
    for (const name of SERVICES) {
      const service = composeService(name, env).environment;
      expect(service['KAFKA_SASL_MECHANISM']).toBe('scram-sha-512');
      expect(service['KAFKA_SASL_USERNAME']).toBe(name);
      expect(service['KAFKA_SASL_PASSWORD']).toBe(
        env[`KAFKA_${name.toUpperCase()}_PASSWORD`],
      );
    }
  });

  it('lets each service write only its own topic and DLQ and read only the topics its consumers read (services/*/src/events)', () => {
    const script = String(
      (composeService('kafka-setup', env).definition as { command?: string[] })
        .command?.[0],
    );
    const acls = (service: string, kind: '--producer' | '--consumer') =>
      script
        .split('\n')
        .filter((line) => line.trim().startsWith(`acl ${service} ${kind} `))
        .flatMap((line) =>
          [...line.matchAll(/--topic (\S+)/g)].map(([, topic]) => topic!),
        )
        .sort();
    for (const service of SERVICES) {
      expect(script).toContain(`user ${service} `);
      expect(acls(service, '--producer')).toEqual(
        [`conecta.${service}.dlq`, `conecta.${service}.events`].sort(),
      );
      expect(acls(service, '--consumer')).toEqual(
        consumedBy(service).map((s) => `conecta.${s}.events`),
      );
    }
    // No rule for anyone else, and no wildcard.
    expect(script).not.toMatch(/--topic '?\*|--allow-principal User:\*/);
  });

  it('keeps every event topic and DLQ forever, also one created before with the 7-day default', () => {
    const script = String(
      (composeService('kafka-setup', env).definition as { command?: string[] })
        .command?.[0],
    );
    const topics = /for t in ([^;]+);/.exec(script)?.[1]?.split(' ');
    expect(topics).toEqual(['conecta.$$s.events', 'conecta.$$s.dlq']);
    expect(/for s in ([^;]+);/.exec(script)?.[1]?.split(' ').sort()).toEqual(
      [...SERVICES].sort(),
    );
    const createLine = script
      .split('\n')
      .find(
        (line) =>
          line.includes('kafka-topics.sh') && line.includes('--topic $$t'),
      );
    expect(createLine).toContain('--config retention.ms=-1');
    expect(createLine).toContain('--config retention.bytes=-1');
    expect(script).toContain(
      '--alter --entity-type topics --entity-name $$t --add-config retention.ms=-1,retention.bytes=-1',
    );
  });

  it('restarts every long-running service unless stopped by hand, never a one-shot setup job, and waits longer than the 15 s shutdown budget before killing one', () => {
    const names = composeServiceNames();
    const definitionOf = (name: string) =>
      composeService(name, env).definition as {
        restart?: string;
        stop_grace_period?: string;
        depends_on?: Record<string, { condition?: string }>;
      };
    // A one-shot job is one that others wait to complete.
    const oneShot = names.filter((name) =>
      names.some(
        (other) =>
          definitionOf(other).depends_on?.[name]?.condition ===
          'service_completed_successfully',
      ),
    );
    expect(oneShot.sort()).toEqual(['kafka-setup', 'mongo-setup']);
    // Compose durations: 20s, 1m30s, 500ms.
    const seconds = (duration: string | undefined) => {
      const parts = /^(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/.exec(duration ?? '');
      if (!duration || !parts) return 0;
      const [, m = '0', s = '0', ms = '0'] = parts;
      return Number(m) * 60 + Number(s) + Number(ms) / 1_000;
    };
    // service-kit's onShutdown gives the shutdown steps 15 s in all (the gateway uses it too).
    const SHUTDOWN_BUDGET_SECONDS = 15;
    for (const name of names) {
      const definition = definitionOf(name);
      if (oneShot.includes(name)) {
        expect({ name, restart: definition.restart }).toEqual({
          name,
          restart: 'no',
        });
        continue;
      }
      expect({ name, restart: definition.restart }).toEqual({
        name,
        restart: 'unless-stopped',
      });
      expect({
        name,
        grace: seconds(definition.stop_grace_period) > SHUTDOWN_BUDGET_SECONDS,
      }).toEqual({ name, grace: true });
    }
    for (const name of [...SERVICES, 'gateway'])
      expect(oneShot).not.toContain(name);
  });

  it('runs the same Kafka version as devstack, and MongoDB 7 as a replica set', () => {
    expect(composeService('kafka', env).definition.image).toBe(
      `apache/kafka:${KAFKA_VERSION}`,
    );
    const mongo = composeService('mongo', env).definition;
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

/**
 * The services whose topics `service`'s consumers read, from its source:
 * createServiceConsumer's `sources` in src/events, outcomes' SOURCES list,
 * and any `topicFor('<service>'` there.
 */
function consumedBy(service: string): string[] {
  const dir = join(ROOT, 'services', service, 'src', 'events');
  if (!existsSync(dir)) return [];
  const text = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
  // The lists a consumer reads: createServiceConsumer's `sources: [...]`,
  // outcomes' SOURCES constant, and any topicFor('<service>') left.
  const lists = [
    ...text.matchAll(/(?:SOURCES[^=]*=|sources:)\s*\[([^\]]*)\]/g),
  ].map(([, list]) => list!);
  return [
    ...new Set([
      ...[...text.matchAll(/topicFor\(\s*'([a-z]+)'/g)].map(([, s]) => s!),
      ...lists.flatMap((list) =>
        [...list.matchAll(/'([a-z]+)'/g)].map(([, s]) => s!),
      ),
    ]),
  ].sort();
}
