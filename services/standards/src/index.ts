import { runSubgraph } from '@conecta/service-kit';
import { readConfig } from './env';
import { createStandardsService } from './server';

runSubgraph(readConfig, createStandardsService);
