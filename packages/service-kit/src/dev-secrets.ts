/**
 * Every secret value committed to this repository, ever: development
 * defaults (devstack, `.env.example` files, the old docker-compose fallbacks,
 * the old compose Ed25519 credential key) and the fixed keys of tests. Anyone
 * can read them, so production refuses them by value.
 * `test/dev-secrets.test.ts` greps the tracked files and fails when a secret
 * is committed without being listed here.
 */
export const DEVELOPMENT_SECRETS: readonly string[] = [
  // npm start (devstack) and the services' / gateway's .env.example
  'dev-only-identity-secret-change-me-0123456789',
  'dev-only-jwt-secret-change-me-0123456789abcdef',
  // docker-compose.yml's former fallbacks
  'compose-dev-identity-secret-change-me-0123456789',
  'compose-dev-jwt-secret-change-me-0123456789',
  // docker-compose.yml's former CREDENTIAL_SIGNING_KEY (Ed25519 PKCS#8 body)
  'MC4CAQAwBQYDK2VwBCIEIFImLuF35q/hM1E2xfvLXMmK82nblRcDrDGn2fBDlfgd',
  // tests' fixed keys
  'test-identity-secret-with-at-least-32-characters',
  'test-secret-that-is-long-enough-0123456789',
  'gateway-test-identity-secret-with-32-chars',
  'gateway-test-jwt-secret-with-at-least-32-chars',
  'gateway-test-jwt-secret-with-32-characters!',
  'stub-identity-secret-with-at-least-32-chars',
  'stub-jwt-secret-with-at-least-32-characters!',
  'readme-test-identity-secret-of-32-chars',
  'readme-test-jwt-secret-with-32-characters',
  'docs-test-identity-secret-at-least-32-chars',
  'docs-test-jwt-secret-with-at-least-32-chars',
  'introspect-identity-secret-at-least-32-chars',
  'introspect-jwt-secret-with-at-least-32-chars',
  'a-production-identity-secret-of-32-chars',
  'another-secret-that-is-at-least-32-chars-long',
];

// `.env.example` placeholders and their kin: a value still saying so was not replaced.
const PLACEHOLDER = /change[-_]?me|replace[-_]?me|placeholder/i;

/**
 * With `NODE_ENV=production`, one problem per variable (of `variables`) whose
 * value is, or contains, a committed development secret or a placeholder.
 * Never quotes the value.
 */
export function developmentSecretProblems(
  env: NodeJS.ProcessEnv,
  variables: readonly string[],
): { variable: string; problem: string }[] {
  if (env['NODE_ENV'] !== 'production') return [];
  const problems: { variable: string; problem: string }[] = [];
  for (const variable of variables) {
    const value = env[variable];
    if (!value) continue;
    if (DEVELOPMENT_SECRETS.some((secret) => value.includes(secret)))
      problems.push({
        variable,
        problem:
          'is a development key committed to the repository; generate a fresh secret for production (README: Deploying with docker compose)',
      });
    else if (PLACEHOLDER.test(value))
      problems.push({
        variable,
        problem:
          'is still a placeholder; generate a fresh secret for production (README: Deploying with docker compose)',
      });
  }
  return problems;
}
