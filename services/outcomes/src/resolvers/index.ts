import { DateResolver, DateTimeResolver } from 'graphql-scalars';
import type { Resolvers } from '../__generated__/resolvers-types';
import { Cohort } from './Cohort';
import { CompetencyStandard } from './CompetencyStandard';
import { Mutation } from './Mutation';
import { Organization } from './Organization';
import { Person } from './Person';
import { Placement } from './Placement';
import { PlacementLink } from './PlacementLink';
import { ProgramGoal } from './ProgramGoal';
import { Query } from './Query';
import { CentavosScalar } from '@conecta/service-kit';

export const resolvers: Resolvers = {
  DateTime: DateTimeResolver,
  Date: DateResolver,
  Centavos: CentavosScalar,
  Query,
  Mutation,
  Placement,
  PlacementLink,
  ProgramGoal,
  Person,
  Organization,
  CompetencyStandard,
  Cohort,
};
