import { runSubgraph } from '@conecta/service-kit';
import { readConfig } from './env';
import { createCertificationService } from './server';

runSubgraph(readConfig, createCertificationService);
