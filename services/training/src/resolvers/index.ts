import { DateResolver, DateTimeResolver } from 'graphql-scalars';
import type { Resolvers } from '../__generated__/resolvers-types';
import {
  Cohort,
  Enrollment,
  PersonEnrollments,
  TrainingProject,
} from './delivery';
import { Mutation } from './Mutation';
import { Query } from './Query';
import { CentavosScalar } from './scalars';
import {
  Agreement,
  CompetencyStandard,
  CostBreakdown,
  DemandRequest,
  Match,
  MatchResult,
  Organization,
  Person,
  VendorCredential,
} from './types';

export const resolvers: Resolvers = {
  DateTime: DateTimeResolver,
  Date: DateResolver,
  Centavos: CentavosScalar,
  Query,
  Mutation,
  VendorCredential,
  DemandRequest,
  Agreement,
  CostBreakdown,
  TrainingProject,
  Cohort,
  Enrollment,
  Match,
  MatchResult,
  Person: { ...Person, ...PersonEnrollments },
  Organization,
  CompetencyStandard,
};
