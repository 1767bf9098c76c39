import { DateTimeResolver } from 'graphql-scalars';
import type { Resolvers } from '../__generated__/resolvers-types';
import {
  Certificate,
  CertificateVerification,
  Evaluation,
  VerificationCount,
} from './Certificate';
import {
  Accreditation,
  CertifyingBody,
  EvaluationProcedure,
  Fee,
} from './CertifyingBody';
import { Candidacy, PersonalDataRead } from './Candidacy';
import { CompetencyStandard } from './CompetencyStandard';
import { Mutation } from './Mutation';
import { Organization } from './Organization';
import { Person } from './Person';
import { Query } from './Query';

export const resolvers: Resolvers = {
  DateTime: DateTimeResolver,
  Query,
  Mutation,
  Person,
  CertifyingBody,
  Fee,
  Accreditation,
  Evaluation,
  EvaluationProcedure,
  Certificate,
  CertificateVerification,
  CompetencyStandard,
  Organization,
  Candidacy,
  PersonalDataRead,
  VerificationCount,
};
