import { z } from 'zod';
import { entityId } from '@conecta/events/contracts';

/** The fields of Person that are personal data; every staff read of one is logged. */
export const PERSONAL_DATA_FIELDS = [
  'curp',
  'givenNames',
  'firstSurname',
  'secondSurname',
  'email',
  'phone',
  'certificates',
] as const;
export type PersonalDataField = (typeof PERSONAL_DATA_FIELDS)[number];

export type PersonalDataReaderRole = 'ADMIN' | 'BODY_STAFF';

/** One field of one person returned to a caller other than the person. */
export interface FieldRead {
  personId: string;
  field: PersonalDataField;
  readerRole: PersonalDataReaderRole;
  /** The body whose relationship let a staff member read; null for admins. */
  certifyingBodyId: string | null;
  /** The GraphQL operation's name, if the client named it. */
  operationName: string | null;
  /** The root field the read came through (person, _entities, evaluation…). */
  rootField: string;
}

/** An entry of the access log: who read which fields of whom, when, through what. */
export interface PersonalDataRead {
  id: string;
  personId: string;
  readerSubject: string;
  readerOrganizationId: string | null;
  readerRole: PersonalDataReaderRole;
  certifyingBodyId: string | null;
  /** Sorted, each once. */
  fields: PersonalDataField[];
  operationName: string | null;
  rootField: string;
  requestId: string;
  readAt: Date;
}

/**
 * The log entries for a batch of field reads of one request: one entry per
 * person, body, operation and root field, with every field read, so a list
 * of N people costs N entries written together, not one per field.
 */
export function logEntriesFor(
  reads: readonly FieldRead[],
  {
    reader,
    requestId,
    now,
    newId,
  }: {
    reader: { subject: string; organizationId: string | null };
    requestId: string;
    now: Date;
    newId: () => string;
  },
): PersonalDataRead[] {
  const groups = new Map<
    string,
    { read: FieldRead; fields: Set<PersonalDataField> }
  >();
  for (const read of reads) {
    const key = JSON.stringify([
      read.personId,
      read.certifyingBodyId,
      read.readerRole,
      read.operationName,
      read.rootField,
    ]);
    const group = groups.get(key) ?? { read, fields: new Set() };
    group.fields.add(read.field);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ read, fields }) => ({
    id: newId(),
    personId: read.personId,
    readerSubject: reader.subject,
    readerOrganizationId: reader.organizationId,
    readerRole: read.readerRole,
    certifyingBodyId: read.certifyingBodyId,
    fields: [...fields].sort(),
    operationName: read.operationName,
    rootField: read.rootField,
    requestId,
    readAt: now,
  }));
}

/** Largest page of the access log. */
export const MAX_ACCESS_LOG_PAGE = 100;

/** Arguments of `personalDataReads`. */
export const accessLogPageInput = z.object({
  personId: entityId,
  first: z
    .number()
    .int()
    .min(1, 'must be at least 1')
    .max(MAX_ACCESS_LOG_PAGE, `must be at most ${MAX_ACCESS_LOG_PAGE}`)
    .nullish()
    .transform((v) => v ?? 20),
  after: z.string().max(200).nullish(),
});
