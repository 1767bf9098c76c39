import { DateTimeResolver } from 'graphql-scalars';
import type { Resolvers } from '../__generated__/resolvers-types';
import { Committee } from './Committee';
import { CommitteeMember } from './CommitteeMember';
import { CompetencyStandard } from './CompetencyStandard';
import { Mutation } from './Mutation';
import { Nomination } from './Nomination';
import { Organization } from './Organization';
import { Query } from './Query';
import { Sector } from './Sector';
import { WorkingGroupExpert } from './WorkingGroupExpert';

export const resolvers: Resolvers = {
  DateTime: DateTimeResolver,
  Query,
  Mutation,
  Organization,
  Sector,
  Committee,
  CommitteeMember,
  WorkingGroupExpert,
  Nomination,
  CompetencyStandard,
};
