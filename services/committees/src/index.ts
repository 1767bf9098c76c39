import { createLogger, onShutdown } from '@conecta/service-kit';
import { readConfig } from './env';
import { createCommitteesService } from './server';

function main(): void {
  const config = readConfig();
  const logger = createLogger({
    name: config.SERVICE_NAME,
    level: config.LOG_LEVEL,
  });
  const service = createCommitteesService(config, logger);
  onShutdown(logger, service.shutdownSteps);
  service.start(config.PORT).then(
    (url) => logger.info({ url }, 'committees subgraph ready'),
    (err: unknown) => {
      logger.fatal({ err }, 'committees subgraph failed to start');
      process.exit(1);
    },
  );
}

main();
