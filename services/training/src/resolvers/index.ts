import { DateResolver, DateTimeResolver } from 'graphql-scalars';
import type { Resolvers } from '../__generated__/resolvers-types';
import { Agreement } from './Agreement';
import { Cohort } from './Cohort';
import { CompetencyStandard } from './CompetencyStandard';
import { CostBreakdown } from './CostBreakdown';
import { DemandRequest } from './DemandRequest';
import { Enrollment } from './Enrollment';
import { FundingSettlement, FundingSplit } from './Funding';
import { Match } from './Match';
import { MatchResult } from './MatchResult';
import { Mutation } from './Mutation';
import { Organization } from './Organization';
import { Person } from './Person';
import { PoolPlan } from './PoolPlan';
import { PoolSuggestion } from './PoolSuggestion';
import { ProviderQuality } from './ProviderQuality';
import { Query } from './Query';
import { CentavosScalar } from '@conecta/service-kit';
import { TrainingProject } from './TrainingProject';
import { VendorCredential } from './VendorCredential';

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
  FundingSplit,
  FundingSettlement,
  Cohort,
  Enrollment,
  Match,
  MatchResult,
  ProviderQuality,
  PoolSuggestion,
  PoolPlan,
  Person,
  Organization,
  CompetencyStandard,
};
