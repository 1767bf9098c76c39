import { Schema, type Connection, type FilterQuery } from 'mongoose';
import escapeStringRegexp from 'escape-string-regexp';
import type { EventEnvelope, OutboxWriter } from '@conecta/events';
import { pageById } from '@conecta/service-kit';
import { ConflictError } from '@conecta/service-kit/errors';
import type { Organization, OrganizationKind } from '../domain/organization';
import type { StateCode } from '@conecta/mexico';

export interface OrganizationDoc {
  _id: string;
  name: string;
  kind: OrganizationKind;
  state: StateCode;
  taxId: string;
  registeredAt: Date;
}

const organizationSchema = new Schema<OrganizationDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    kind: { type: String, required: true, index: true },
    state: { type: String, required: true, index: true },
    // One organization per RFC: the directory must not hold duplicates.
    taxId: { type: String, required: true, unique: true },
    registeredAt: { type: Date, required: true },
  },
  // Writes that carry events go through the outbox writer (the driver); mongoose reads.
  { versionKey: false },
);

export interface OrganizationFilter {
  kind?: OrganizationKind | null;
  state?: StateCode | null;
  search?: string | null;
}

export interface OrganizationPage {
  nodes: Organization[];
  totalCount: number;
  hasNextPage: boolean;
}

function toOrganization(doc: OrganizationDoc): Organization {
  return {
    id: doc._id,
    name: doc.name,
    kind: doc.kind,
    state: doc.state,
    taxId: doc.taxId,
    registeredAt: doc.registeredAt,
  };
}

/** The organization directory in MongoDB. */
export function createOrganizationStore(
  connection: Connection,
  outbox: OutboxWriter,
) {
  const model = connection.model<OrganizationDoc>(
    'Organization',
    organizationSchema,
    'organizations',
  );

  return {
    model,

    /** Inserts the organization and its events in one document write (outbox). */
    async insert(
      organization: Organization,
      events: EventEnvelope[],
    ): Promise<void> {
      const { id, ...fields } = organization;
      await outbox.insert(
        model.collection,
        { _id: id, ...fields },
        events,
        () =>
          new ConflictError(
            'ORGANIZATION_TAX_ID_TAKEN',
            `An organization with RFC ${organization.taxId} is already registered`,
            'input.taxId',
          ),
      );
    },

    /** Every organization among `ids`, in one query (order not guaranteed). */
    async findByIds(ids: readonly string[]): Promise<Organization[]> {
      const docs = await model
        .find({ _id: { $in: ids } })
        .lean<OrganizationDoc[]>();
      return docs.map(toOrganization);
    },

    /** A page of the directory, oldest first (UUID v7 ids sort by creation time). */
    async list(
      filter: OrganizationFilter,
      first: number,
      after?: string,
    ): Promise<OrganizationPage> {
      const query: FilterQuery<OrganizationDoc> = {};
      if (filter.kind) query.kind = filter.kind;
      if (filter.state) query.state = filter.state;
      if (filter.search) {
        query.$or = [
          {
            name: { $regex: escapeStringRegexp(filter.search), $options: 'i' },
          },
          { taxId: filter.search.toUpperCase() },
        ];
      }
      return pageById(model, query, first, after, toOrganization);
    },
  };
}

export type OrganizationStore = ReturnType<typeof createOrganizationStore>;
