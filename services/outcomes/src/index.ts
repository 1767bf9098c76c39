import { runSubgraph } from '@conecta/service-kit';
import { readConfig } from './env';
import { createOutcomesService } from './server';

runSubgraph(readConfig, createOutcomesService);
