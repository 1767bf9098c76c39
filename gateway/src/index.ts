import { createLogger, onShutdown, startTracing } from '@conecta/service-kit';
import { readGatewayConfig } from './env';
import { createGatewayServer } from './server';

function main(): void {
  const config = readGatewayConfig();
  const logger = createLogger({ name: 'gateway', level: config.LOG_LEVEL });
  // Before the server: the exporter the OTEL_* variables configure (README, Tracing).
  const tracing = startTracing({ serviceName: 'gateway' });
  const server = createGatewayServer(config, logger);
  onShutdown(logger, [
    { name: 'http server', stop: () => server.stop() },
    // Last: the spans of the drained requests are sent.
    { name: 'tracing', stop: () => tracing.shutdown() },
  ]);
  server.start(config.PORT).then(
    (url) => logger.info({ url }, 'gateway ready'),
    (err: unknown) => {
      logger.fatal({ err }, 'gateway failed to start');
      process.exit(1);
    },
  );
}

main();
