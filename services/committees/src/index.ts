import { runSubgraph } from '@conecta/service-kit';
import { readConfig } from './env';
import { createCommitteesService } from './server';

runSubgraph(readConfig, createCommitteesService);
