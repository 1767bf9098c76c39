import { runSubgraph } from '@conecta/service-kit';
import { readConfig } from './env';
import { createPartnersService } from './server';

runSubgraph(readConfig, createPartnersService);
