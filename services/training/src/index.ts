import { runSubgraph } from '@conecta/service-kit';
import { readConfig } from './env';
import { createTrainingService } from './server';

runSubgraph(readConfig, createTrainingService);
