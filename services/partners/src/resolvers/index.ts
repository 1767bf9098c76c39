import { DateTimeResolver } from 'graphql-scalars';
import type { Resolvers } from '../__generated__/resolvers-types';
import { Mutation } from './Mutation';
import { Query } from './Query';
import { WebhookDelivery } from './WebhookDelivery';
import { WebhookSubscription } from './WebhookSubscription';

export const resolvers: Resolvers = {
  DateTime: DateTimeResolver,
  Query,
  Mutation,
  WebhookSubscription,
  WebhookDelivery,
};
