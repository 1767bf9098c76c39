/**
 * The DLQ CLI in a process of its own, as `npm run dlq` runs it (bin/conecta-dlq.js
 * runs the built copy; this one runs the source through tsx):
 * `node --import tsx test/support/dlq-cli-process.ts list …`.
 */
import { main } from '../../src/dlq-cli';

main();
