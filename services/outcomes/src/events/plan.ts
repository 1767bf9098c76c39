import type { KnownEvent } from '@conecta/events';
import {
  issuanceOf,
  retractionOf,
  type CertificateView,
} from '../domain/certificates';
import type { CohortCounters } from '../domain/cohort';
import { periodOf } from '../domain/periods';
import {
  NO_DIMENSIONS,
  bucketOf,
  targetDimensions,
  type BucketKey,
  type MetricFact,
} from '../domain/metrics';

/** The event types outcomes consumes; every other type is skipped (and committed). */
export const CONSUMED_TYPES = [
  'training.DemandRequested',
  'training.ParticipantEnrolled',
  'training.EnrollmentCompleted',
  'training.EnrollmentDropped',
  'training.CohortScheduled',
  'training.VendorCredentialRegistered',
  'training.ProjectDrafted',
  'training.ProjectApproved',
  'training.ProjectClosed',
  'certification.CertificateIssued',
  'certification.CertificateRevoked',
  'outcomes.PlacementRecorded',
  'standards.StandardPublished',
  'standards.StandardWithdrawn',
  'standards.StandardSuperseded',
  'certification.CertifyingBodyRegistered',
  'certification.CertifyingBodyChanged',
] as const satisfies ReadonlyArray<KnownEvent['type']>;

export type ConsumedEvent = Extract<
  KnownEvent,
  { type: (typeof CONSUMED_TYPES)[number] }
>;

/** One bucket's increment over a batch: the sum of its facts' amounts. */
export interface BucketDelta extends BucketKey {
  amount: number;
}

/** One cohort's counter increments over a batch. */
export interface CohortDelta extends CohortCounters {
  id: string;
}

/** Absolute fields a batch sets on one view document (idempotent, so safe to repeat). */
export interface ViewSet {
  id: string;
  set: Record<string, unknown>;
  /**
   * The document did not exist when the batch was planned: it is inserted
   * rather than upserted (cheaper on FerretDB); a duplicate key, from a
   * re-applied batch or another writer, falls back to the `$set`.
   */
  created?: true;
}

/**
 * What a batch sets on one person's document (the per-person read model, see
 * `domain/people.ts`): absolute fields of their facts under dotted paths
 * (`enrollments.<id>.completedAt`), and months added to the arrays queries
 * select people by (`enrolledMonths`, `supplyMonths`), and the cohorts they
 * enrolled in (`cohortIds`: a project's people are found through its cohorts). Both are idempotent
 * and commute, so a person's events may be applied in any order, repeated,
 * or from several partitions at once.
 */
export interface PersonWrite {
  id: string;
  set: Record<string, unknown>;
  add: Partial<
    Record<'enrolledMonths' | 'supplyMonths' | 'cohortIds', string[]>
  >;
}

/**
 * Everything one batch of events changes, summed in memory: at most one write
 * per document. Plain data (arrays, strings, numbers, dates) so it can be
 * stored as is in the batch journal and re-applied after a crash.
 */
export interface BatchPlan {
  buckets: BucketDelta[];
  cohorts: CohortDelta[];
  certificates: ViewSet[];
  standards: ViewSet[];
  cohortViews: ViewSet[];
  credentials: ViewSet[];
  /** Per-person facts (enrollments, certificates, placements), by person id. */
  people: PersonWrite[];
  /** Certifying bodies' facility states, one snapshot per body event. */
  bodies: ViewSet[];
  /**
   * Funded training projects (fund, approved contribution, settlement) and
   * their cohorts (`cohorts.<id>`, from `CohortScheduled.projectId`).
   */
  projects: ViewSet[];
  /** The counting events applied (the ledger); view-only events need no entry, their `$set`s are idempotent. */
  applied: Array<{ id: string; type: string }>;
}

/** The certificates a batch's events describe: their views are read before planning. */
export function certificateIdsOf(events: readonly KnownEvent[]): string[] {
  const ids = new Set<string>();
  for (const event of events)
    if (
      event.type === 'certification.CertificateIssued' ||
      event.type === 'certification.CertificateRevoked'
    )
      ids.add(event.data.id);
  return [...ids];
}

/**
 * Sums the effects of `events` (one partition's batch, in order, already
 * filtered of events the ledger knows) into one write per document.
 * `certificatesBefore` are the stored views of the certificates the batch
 * mentions: a revocation subtracts only once both its certificate's issuance
 * and revocation are known and it has not been retracted yet — whichever event
 * (of this batch or an earlier one) completes the picture applies it. Events
 * repeated inside the batch count once. Pure: no I/O.
 */
export function planBatch(
  events: readonly KnownEvent[],
  certificatesBefore: ReadonlyMap<string, CertificateView> = new Map(),
): BatchPlan {
  const buckets = new Map<string, BucketDelta>();
  const cohorts = new Map<string, CohortDelta>();
  const certificates = new Map<string, CertificateView>();
  const certificateSets = new Map<string, Record<string, unknown>>();
  const createdCertificates = new Set<string>();
  const standards = new Map<string, Record<string, unknown>>();
  const cohortViews = new Map<string, Record<string, unknown>>();
  const credentials = new Map<string, Record<string, unknown>>();
  const bodies = new Map<string, Record<string, unknown>>();
  const projects = new Map<string, Record<string, unknown>>();
  const people = new Map<string, PersonWrite>();
  const applied: BatchPlan['applied'] = [];
  const seen = new Set<string>();

  const add = (fact: MetricFact) => {
    const key = bucketOf(fact);
    const delta = buckets.get(key.id);
    if (delta) delta.amount += fact.amount;
    else buckets.set(key.id, { ...key, amount: fact.amount });
  };
  const count = (cohortId: string, counter: keyof CohortCounters) => {
    let delta = cohorts.get(cohortId);
    if (!delta) {
      delta = { id: cohortId, enrolled: 0, completed: 0, dropped: 0 };
      cohorts.set(cohortId, delta);
    }
    delta[counter] += 1;
  };
  const set = (
    views: Map<string, Record<string, unknown>>,
    id: string,
    fields: Record<string, unknown>,
  ) => views.set(id, { ...views.get(id), ...fields });
  /** Sets `fields` on the fact `path` (`enrollments.<id>`) of a person, and adds its months. */
  const fact = (
    personId: string,
    path: string,
    fields: Record<string, unknown>,
    months: PersonWrite['add'] = {},
  ) => {
    const write = people.get(personId) ?? { id: personId, set: {}, add: {} };
    for (const [name, value] of Object.entries(fields))
      write.set[`${path}.${name}`] = value;
    for (const [name, list] of Object.entries(months) as Array<
      [keyof PersonWrite['add'], string[]]
    >)
      write.add[name] = [...new Set([...(write.add[name] ?? []), ...list])];
    people.set(personId, write);
  };
  const monthOf = (at: Date) => periodOf(at, 'MONTH').label;
  const certificate = (
    id: string,
    standardId: string,
    fields: Partial<CertificateView>,
  ) => {
    const known = certificates.get(id) ?? certificatesBefore.get(id);
    if (!known) createdCertificates.add(id);
    const before = known ?? {
      id,
      standardId,
      issuedAt: null,
      revokedAt: null,
      retracted: false,
    };
    const view = { ...before, standardId, ...fields };
    set(certificateSets, id, { standardId, ...fields });
    const retraction = retractionOf(view);
    if (retraction) {
      add(retraction);
      view.retracted = true;
      set(certificateSets, id, { retracted: true });
    }
    certificates.set(id, view);
  };

  for (const event of events) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    const counted = () => applied.push({ id: event.id, type: event.type });
    switch (event.type) {
      case 'training.DemandRequested': {
        const { data } = event;
        const dimensions = targetDimensions(data, { state: data.state });
        const at = new Date(data.requestedAt);
        add({
          metric: 'DEMAND_HEADCOUNT',
          at,
          amount: data.headcount,
          dimensions,
        });
        add({ metric: 'DEMAND_REQUESTS', at, amount: 1, dimensions });
        counted();
        break;
      }
      case 'training.ParticipantEnrolled': {
        const { data } = event;
        add({
          metric: 'TRAINED',
          at: new Date(data.enrolledAt),
          amount: 1,
          dimensions: targetDimensions(data, { cohortId: data.cohortId }),
        });
        count(data.cohortId, 'enrolled');
        const enrolledAt = new Date(data.enrolledAt);
        fact(
          data.personId,
          `enrollments.${data.id}`,
          {
            cohortId: data.cohortId,
            standardId: data.standardId ?? null,
            credentialId: data.credentialId ?? null,
            enrolledAt,
          },
          {
            enrolledMonths: [monthOf(enrolledAt)],
            supplyMonths: [monthOf(enrolledAt)],
            cohortIds: [data.cohortId],
          },
        );
        counted();
        break;
      }
      case 'training.EnrollmentCompleted': {
        const { data } = event;
        add({
          metric: 'COMPLETED',
          at: new Date(data.completedAt),
          amount: 1,
          dimensions: { ...NO_DIMENSIONS, cohortId: data.cohortId },
        });
        count(data.cohortId, 'completed');
        fact(data.personId, `enrollments.${data.id}`, {
          cohortId: data.cohortId,
          completedAt: new Date(data.completedAt),
        });
        counted();
        break;
      }
      case 'training.EnrollmentDropped': {
        const { data } = event;
        count(data.cohortId, 'dropped');
        fact(data.personId, `enrollments.${data.id}`, {
          cohortId: data.cohortId,
          droppedAt: new Date(data.droppedAt),
        });
        counted();
        break;
      }
      case 'certification.CertificateIssued': {
        const { data } = event;
        const issuedAt = new Date(data.issuedAt);
        add(issuanceOf({ standardId: data.standardId, issuedAt }));
        certificate(data.id, data.standardId, {
          issuedAt,
          personId: data.personId,
          certifyingBodyId: data.certifyingBodyId,
        });
        fact(
          data.personId,
          `certificates.${data.id}`,
          {
            standardId: data.standardId,
            certifyingBodyId: data.certifyingBodyId,
            issuedAt,
            imported: data.imported !== undefined,
          },
          { supplyMonths: [monthOf(issuedAt)] },
        );
        counted();
        break;
      }
      case 'certification.CertificateRevoked': {
        const { data } = event;
        const revokedAt = new Date(data.revokedAt);
        certificate(data.id, data.standardId, {
          revokedAt,
          personId: data.personId,
          certifyingBodyId: data.certifyingBodyId,
        });
        fact(data.personId, `certificates.${data.id}`, {
          standardId: data.standardId,
          certifyingBodyId: data.certifyingBodyId,
          revokedAt,
        });
        counted();
        break;
      }
      case 'outcomes.PlacementRecorded': {
        const { data } = event;
        add({
          metric: 'PLACED',
          at: new Date(`${data.startDate}T00:00:00.000Z`),
          amount: 1,
          dimensions: {
            ...NO_DIMENSIONS,
            state: data.state,
            sectorId: data.sectorId,
          },
        });
        // A date, kept as its ISO string: the journal revives only fields named …At.
        fact(data.personId, `placements.${data.id}`, {
          startDate: data.startDate,
        });
        counted();
        break;
      }
      case 'training.CohortScheduled': {
        const { data } = event;
        const cohort = {
          state: data.state ?? null,
          standardId: data.standardId ?? null,
          credentialId: data.credentialId ?? null,
        };
        set(cohortViews, data.id, {
          ...cohort,
          ...(data.projectId ? { projectId: data.projectId } : {}),
        });
        // The project lists its cohorts: what its people are found by.
        if (data.projectId)
          set(projects, data.projectId, { [`cohorts.${data.id}`]: cohort });
        break;
      }
      case 'training.ProjectDrafted':
        set(projects, event.data.id, {
          name: event.data.name,
          fundName: event.data.fundName,
          agreementId: event.data.agreementId,
          draftedAt: new Date(event.data.draftedAt),
        });
        break;
      case 'training.ProjectApproved':
        set(projects, event.data.id, {
          approvedFundShareBps: event.data.approvedFundShareBps,
          fundContributionCentavos: event.data.fundContributionCentavos,
          approvedAt: new Date(event.data.approvedAt),
        });
        break;
      case 'training.ProjectClosed':
        set(projects, event.data.id, {
          closedAt: new Date(event.data.closedAt),
          settlement: event.data.settlement ?? null,
        });
        break;
      case 'training.VendorCredentialRegistered':
        set(credentials, event.data.id, {
          standardId: event.data.standardId ?? null,
        });
        break;
      case 'certification.CertifyingBodyRegistered':
        // One snapshot per event, under its id: redelivered, it sets the same.
        set(bodies, event.data.id, {
          [`facilities.${event.id}`]: {
            changedAt: new Date(event.data.registeredAt),
            states: event.data.facilityStates,
          },
        });
        break;
      case 'certification.CertifyingBodyChanged':
        set(bodies, event.data.id, {
          [`facilities.${event.id}`]: {
            changedAt: new Date(event.data.changedAt),
            states: event.data.facilityStates,
          },
        });
        break;
      case 'standards.StandardPublished': {
        const { data } = event;
        set(standards, data.id, {
          code: data.code,
          title: data.title,
          sectorId: data.sectorId,
          publishedAt: new Date(data.publishedAt),
        });
        break;
      }
      case 'standards.StandardWithdrawn':
        set(standards, event.data.id, {
          withdrawnAt: new Date(event.data.withdrawnAt),
        });
        break;
      case 'standards.StandardSuperseded':
        set(standards, event.data.id, {
          supersededAt: new Date(event.data.supersededAt),
        });
        break;
      default:
        // Other types are not consumed (the consumer skips them).
        break;
    }
  }

  const list = (views: Map<string, Record<string, unknown>>): ViewSet[] =>
    [...views].map(([id, fields]) => ({ id, set: fields }));
  return {
    buckets: [...buckets.values()],
    cohorts: [...cohorts.values()],
    certificates: list(certificateSets).map((view) =>
      createdCertificates.has(view.id) ? { ...view, created: true } : view,
    ),
    standards: list(standards),
    cohortViews: list(cohortViews),
    credentials: list(credentials),
    people: [...people.values()],
    bodies: list(bodies),
    projects: list(projects),
    applied,
  };
}

/** Nothing to write. */
export const isEmptyPlan = (plan: BatchPlan): boolean =>
  Object.values(plan).every((list: unknown[]) => list.length === 0);
