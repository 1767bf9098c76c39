import { ConfigError } from '@conecta/service-kit';
import { runApiKeyCli } from './api-key-cli';

/**
 * Partner API keys: `node gateway/dist/api-keys.js issue|revoke|list …`
 * (usage in gateway/README.md). Needs MONGODB_URI, the gateway's database.
 */
runApiKeyCli(process.argv.slice(2), {
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
}).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(
      `api-keys: ${err instanceof ConfigError || err instanceof Error ? err.message : String(err)}\n`,
    );
    process.exit(1);
  },
);
