import { v7 as uuidv7 } from 'uuid';
import { ConflictError } from '@conecta/service-kit/errors';
import { cancelDemand } from '../../src/domain/demand';
import { cancelAggregatedDemand } from '../../src/domain/project';
import {
  agreementMother,
  credentialMother,
  demandMother,
  projectMother,
} from '../fixtures/mothers';

const credential = credentialMother.cloudPractitioner();
const target = { kind: 'CREDENTIAL' as const, id: credential.id };
const agreement = agreementMother.seventyOff(target);

/** A DRAFT project of two requests (25 + 15 people), and those requests. */
function draftOfTwo() {
  const projectId = uuidv7();
  const a = demandMother.jaliscoCluster(target, {
    status: 'AGGREGATED',
    projectId,
  });
  const b = demandMother.jaliscoCluster(target, {
    status: 'AGGREGATED',
    projectId,
    headcount: 15,
  });
  const project = projectMother.draft(agreement, {
    id: projectId,
    demandRequestIds: [a.id, b.id],
    participants: 40,
  });
  return { project, a, b };
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConflictError);
    return (error as ConflictError).code;
  }
  throw new Error('expected a ConflictError');
}

describe('cancelling an aggregated demand request', () => {
  it('takes it out of its DRAFT project, whose participants shrink by its headcount', () => {
    const { project, a, b } = draftOfTwo();
    const { demand, project: shrunk } = cancelAggregatedDemand(
      b,
      project,
      'budget cut',
    );
    expect(demand).toMatchObject({
      status: 'CANCELLED',
      projectId: null,
      cancellationReason: 'budget cut',
    });
    expect(shrunk).toMatchObject({
      status: 'DRAFT',
      demandRequestIds: [a.id],
      participants: 25,
    });
  });

  it('refuses to empty a DRAFT project: its only request stays (PROJECT_WOULD_BE_EMPTY)', () => {
    const demand = demandMother.jaliscoCluster(target, {
      status: 'AGGREGATED',
    });
    const project = projectMother.draft(agreement, {
      demandRequestIds: [demand.id],
    });
    expect(codeOf(() => cancelAggregatedDemand(demand, project, 'x'))).toBe(
      'PROJECT_WOULD_BE_EMPTY',
    );
  });

  it.each(['SUBMITTED', 'APPROVED'] as const)(
    'refuses while the project is %s (DEMAND_IN_PROJECT)',
    (status) => {
      const { project, a } = draftOfTwo();
      expect(
        codeOf(() => cancelAggregatedDemand(a, { ...project, status }, 'x')),
      ).toBe('DEMAND_IN_PROJECT');
    },
  );

  it('refuses when the project was approved and closed, but not when it was rejected (then closed or not)', () => {
    const { project, a } = draftOfTwo();
    const approvedAndClosed = {
      ...project,
      status: 'CLOSED' as const,
      approvedFundShareBps: 5_000,
    };
    expect(
      codeOf(() => cancelAggregatedDemand(a, approvedAndClosed, 'x')),
    ).toBe('DEMAND_IN_PROJECT');
    for (const status of ['REJECTED', 'CLOSED'] as const) {
      const rejected = {
        ...project,
        status,
        rejectionReason: 'Sin suficiencia presupuestal',
      };
      const result = cancelAggregatedDemand(a, rejected, 'x');
      expect(result.demand.status).toBe('CANCELLED');
      // The rejected application's record is history: left as it was.
      expect(result.project).toBeNull();
    }
  });

  it('finishes a cancellation that stopped half-way: the DRAFT project no longer lists it', () => {
    const { project, a, b } = draftOfTwo();
    const without = { ...project, demandRequestIds: [a.id], participants: 25 };
    const result = cancelAggregatedDemand(b, without, 'x');
    expect(result.demand.status).toBe('CANCELLED');
    expect(result.project).toBeNull();
  });

  it('refuses requests that are not AGGREGATED, and keeps refusing AGGREGATED ones without their project', () => {
    const { project } = draftOfTwo();
    const open = demandMother.jaliscoCluster(target);
    const fulfilled = demandMother.jaliscoCluster(target, {
      status: 'FULFILLED',
    });
    expect(codeOf(() => cancelAggregatedDemand(open, project, 'x'))).toBe(
      'INVALID_DEMAND_TRANSITION',
    );
    expect(codeOf(() => cancelAggregatedDemand(fulfilled, project, 'x'))).toBe(
      'INVALID_DEMAND_TRANSITION',
    );
    const aggregated = demandMother.jaliscoCluster(target, {
      status: 'AGGREGATED',
    });
    expect(codeOf(() => cancelDemand(aggregated, 'x'))).toBe(
      'DEMAND_IN_PROJECT',
    );
  });
});
