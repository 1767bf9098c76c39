import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { generateResolverTypes, type CodegenConfig } from './index';

// Run from a service folder (npm run codegen): reads ./codegen.json.
const serviceDir = process.cwd();
const config = JSON.parse(
  readFileSync(join(serviceDir, 'codegen.json'), 'utf8'),
) as CodegenConfig;
generateResolverTypes(serviceDir, config).then(
  (out) => console.log(`codegen: wrote ${relative(serviceDir, out)}`),
  (err: unknown) => {
    console.error(
      `codegen: failed: ${err instanceof Error ? err.message : String(err)}`,
    );
    process.exit(1);
  },
);
