import { DateTimeResolver } from 'graphql-scalars';
import type { Resolvers } from '../__generated__/resolvers-types';
import { Committee } from './Committee';
import { CompetencyStandard } from './CompetencyStandard';
import { CouncilComposition } from './CouncilComposition';
import { CouncilSeatHolder } from './CouncilSeatHolder';
import { Mutation } from './Mutation';
import { Query } from './Query';

export const resolvers: Resolvers = {
  DateTime: DateTimeResolver,
  Query,
  Mutation,
  CompetencyStandard,
  Committee,
  CouncilComposition,
  CouncilSeatHolder,
};
