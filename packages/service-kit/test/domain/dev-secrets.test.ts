import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { developmentSecretProblems } from '../../src/index';

// The repository root (this package is two levels down).
const ROOT = join(__dirname, '..', '..', '..', '..');

// What a committed secret looks like: a long literal given to a *SECRET*
// variable or constant (code, .env files, compose fallbacks), or the body of
// an Ed25519 PKCS#8 key.
const SECRET_ASSIGNMENT =
  /SECRET[A-Z_]*\s*[=:]\s*(?:\$\{[A-Z_]+:-)?['"]?([A-Za-z0-9][A-Za-z0-9!_-]{31,})/g;
const ED25519_PKCS8 = /MC4CAQAw[A-Za-z0-9+/=]{40,}/g;

function trackedFiles(): string[] {
  return execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((path) => path && path !== 'package-lock.json');
}

describe('the development secrets production refuses', () => {
  it('include every secret committed to the repository (git ls-files)', () => {
    const found = new Map<string, string>();
    for (const path of trackedFiles()) {
      let text: string;
      try {
        text = readFileSync(join(ROOT, path), 'utf8');
      } catch {
        continue; // deleted in the work tree
      }
      for (const [, value] of text.matchAll(SECRET_ASSIGNMENT))
        found.set(value!, path);
      for (const [value] of text.matchAll(ED25519_PKCS8))
        found.set(value, path);
    }
    // The scan must see the known ones, or it proves nothing.
    expect([...found.keys()]).toEqual(
      expect.arrayContaining(['dev-only-identity-secret-change-me-0123456789']),
    );
    const unlisted = [...found.entries()]
      .filter(
        ([value]) =>
          developmentSecretProblems(
            { NODE_ENV: 'production', SOME_SECRET: value },
            ['SOME_SECRET'],
          ).length === 0,
      )
      .map(([value, path]) => `${value} (in ${path})`);
    expect(unlisted).toEqual([]);
  });
});
