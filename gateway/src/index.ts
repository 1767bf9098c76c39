import { createLogger, onShutdown } from '@conecta/service-kit';
import { readGatewayConfig } from './env';
import { createGatewayServer } from './server';

function main(): void {
  const config = readGatewayConfig();
  const logger = createLogger({ name: 'gateway', level: config.LOG_LEVEL });
  const server = createGatewayServer(config, logger);
  onShutdown(logger, [{ name: 'http server', stop: () => server.stop() }]);
  server.start(config.PORT).then(
    (url) => logger.info({ url }, 'gateway ready'),
    (err: unknown) => {
      logger.fatal({ err }, 'gateway failed to start');
      process.exit(1);
    },
  );
}

main();
