import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { baseConfig, loadConfig } from '@conecta/service-kit';
import { gatewayConfig, parseGatewayConfig } from '../src/env';
import { SUBGRAPHS, timeoutVariable, urlVariable } from '../src/subgraphs';

// The root README's config tables cannot rot: every variable a config module
// reads is in them, every variable in them is read by some config module, and
// the gateway's and the subgraphs' defaults there are the code's.
const ROOT = join(__dirname, '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The shell's search path, for tools (README: Prerequisites), not a setting. */
const NOT_SETTINGS = new Set(['PATH']);

const source = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** Keys of zod shapes (two-space indented `NAME:`) and `env['NAME']` / `env.NAME` reads. */
function variablesInEnvSource(text: string): string[] {
  return [
    ...text.matchAll(/^ {2}([A-Z][A-Z0-9_]*)\s*:/gm),
    ...text.matchAll(/\benv(?:\.|\[')([A-Z][A-Z0-9_]*)/g),
  ].map(([, name]) => name!);
}

/** What devstack reads: `env.NAME`, `env['NAME']` and `intFromEnv(env, 'NAME', …)`. */
function variablesInDevstackSource(text: string): string[] {
  return [
    ...text.matchAll(/\benv(?:\.|\[')([A-Z][A-Z0-9_]*)/g),
    ...text.matchAll(/intFromEnv\(\s*env,\s*'([A-Z][A-Z0-9_]*)'/g),
  ].map(([, name]) => name!);
}

function tsFilesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(dir, file));
}

const services = readdirSync(join(ROOT, 'services')).filter((name) =>
  existsSync(join(ROOT, 'services', name, 'src', 'env.ts')),
);

/** Every variable read, with where it is read (for the failure message). */
const read: { name: string; by: string }[] = [
  ...Object.keys(baseConfig).map((name) => ({
    name,
    by: 'packages/service-kit/src/config.ts',
  })),
  ...Object.keys(gatewayConfig).map((name) => ({
    name,
    by: 'gateway/src/env.ts',
  })),
  ...variablesInEnvSource(source('gateway/src/env.ts')).map((name) => ({
    name,
    by: 'gateway/src/env.ts',
  })),
  ...services.flatMap((service) => {
    const path = `services/${service}/src/env.ts`;
    return variablesInEnvSource(source(path)).map((name) => ({
      name,
      by: path,
    }));
  }),
  ...tsFilesUnder('packages/devstack/src').flatMap((path) =>
    variablesInDevstackSource(source(path)).map((name) => ({ name, by: path })),
  ),
].filter(({ name }) => !NOT_SETTINGS.has(name));
const readNames = new Set(read.map((r) => r.name));

interface Row {
  /** The variables named in the first cell. */
  names: string[];
  /** The last cell: the default. */
  defaultCell: string;
}

/** The tables of `## Configuration`, by their `###` heading ('' before the first). */
function configTables(markdown: string): Map<string, Row[]> {
  const start = markdown.indexOf('\n## Configuration\n');
  const end = markdown.indexOf('\n## ', start + 1);
  const section = markdown.slice(start, end === -1 ? undefined : end);
  const tables = new Map<string, Row[]>();
  // The part before the first `###` is a table of its own, headed ''.
  for (const [i, part] of section.split(/^### /m).entries()) {
    const heading = i === 0 ? '' : part.slice(0, part.indexOf('\n'));
    const rows = part
      .split('\n')
      .filter((line) => line.startsWith('|'))
      .map((line) =>
        line
          .slice(1, -1)
          .split('|')
          .map((cell) => cell.trim()),
      )
      .filter(([first]) => first !== 'variable' && !first!.startsWith('---'))
      .map((cells) => ({
        names: [...cells[0]!.matchAll(/`([A-Z<][A-Za-z0-9_<>]*)`/g)].map(
          ([, name]) => name!,
        ),
        defaultCell: cells[cells.length - 1]!,
      }));
    tables.set(heading, rows);
  }
  return tables;
}

const tables = configTables(README);
const documented = new Set(
  [...tables.values()].flatMap((rows) => rows.flatMap((r) => r.names)),
);

/** A name the README covers: itself, or a subgraph's `<SERVICE>_URL` / `<SERVICE>_TIMEOUT_MS`. */
function isDocumented(name: string): boolean {
  if (documented.has(name)) return true;
  return SUBGRAPHS.some(
    (s) =>
      (name === urlVariable(s.name) && documented.has('<SERVICE>_URL')) ||
      (name === timeoutVariable(s.name) &&
        documented.has('<SERVICE>_TIMEOUT_MS')),
  );
}

function tableNamed(prefix: string): Row[] {
  const entry = [...tables.entries()].find(([heading]) =>
    heading.startsWith(prefix),
  );
  if (!entry) throw new Error(`README has no "### ${prefix}…" config table`);
  return entry[1];
}

/**
 * Checks each row that names one variable against a parsed config: a
 * backticked default is the parsed value, `empty` is '', `none` is unset.
 * Returns the disagreements.
 */
function defaultMismatches(
  rows: Row[],
  config: Record<string, unknown>,
): string[] {
  const mismatches: string[] = [];
  for (const { names, defaultCell } of rows) {
    if (names.length !== 1 || names[0]!.startsWith('<')) continue;
    const name = names[0]!;
    const actual = config[name];
    const literal = /^`([^`]*)`/.exec(defaultCell)?.[1];
    if (literal !== undefined) {
      if (String(actual) !== literal)
        mismatches.push(`${name}: README ${literal}, code ${String(actual)}`);
    } else if (defaultCell === 'empty') {
      if (actual !== '')
        mismatches.push(`${name}: README empty, code ${String(actual)}`);
    } else if (defaultCell.startsWith('none') && actual !== undefined) {
      mismatches.push(`${name}: README none, code ${String(actual)}`);
    }
  }
  return mismatches;
}

describe("the root README's config tables", () => {
  it('were found, and the variables were found in the code', () => {
    expect([...tables.keys()]).toEqual(
      expect.arrayContaining([
        'Every subgraph (`packages/service-kit`)',
        'Per service',
        'Gateway (`gateway/src/env.ts`)',
        expect.stringMatching(/^devstack/),
      ]),
    );
    // A regex that silently matched nothing would make the next test pass.
    expect([...readNames]).toEqual(
      expect.arrayContaining([
        'EVALUATION_MAX_AGE_MONTHS',
        'CREDENTIAL_SIGNING_KEY',
        'SURVEY_WEIGHTS',
        'BROKER_MARKUP_BPS',
        'DEVSTACK_HOME',
        'DEVSTACK_MONGO_PORT',
        'SUPERGRAPH_POLL_MS',
        'COMMITTEES_TIMEOUT_MS',
      ]),
    );
  });

  it('name every variable a config module reads', () => {
    const missing = read
      .filter(({ name }) => !isDocumented(name))
      .map(({ name, by }) => `${name} (read in ${by})`);
    expect([...new Set(missing)]).toEqual([]);
  });

  it('name only variables some config module reads', () => {
    const stale = [...documented].filter(
      (name) =>
        !readNames.has(name) &&
        name !== '<SERVICE>_URL' &&
        name !== '<SERVICE>_TIMEOUT_MS',
    );
    expect(stale).toEqual([]);
  });

  it("give the gateway's defaults as the code has them", () => {
    const config = parseGatewayConfig({
      IDENTITY_SECRET: 'readme-test-identity-secret-of-32-chars',
      JWT_SECRET: 'readme-test-jwt-secret-with-32-characters',
    });
    expect(
      defaultMismatches(
        tableNamed('Gateway'),
        config as unknown as Record<string, unknown>,
      ),
    ).toEqual([]);
  });

  it("give every subgraph's defaults as the code has them", () => {
    const config = loadConfig(
      {},
      {
        SERVICE_NAME: 'readme',
        PORT: '4001',
        MONGODB_URI: 'mongodb://127.0.0.1:27017/readme',
        KAFKA_BROKERS: '127.0.0.1:9092',
        IDENTITY_SECRET: 'readme-test-identity-secret-of-32-chars',
      },
    );
    expect(
      defaultMismatches(
        tableNamed('Every subgraph'),
        config as unknown as Record<string, unknown>,
      ),
    ).toEqual([]);
  });
});
