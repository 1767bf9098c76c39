import { v7 as uuidv7 } from 'uuid';
import type { Identity } from '@conecta/service-kit';
import {
  canListEnrollments,
  demandListScope,
} from '../../src/domain/permissions';
import { NOW } from '../fixtures/mothers';

// The read rules of training's lists (issue 16, item 1): who lists which
// demand and which enrollments. Pure: the cohort lookup is handed in.

const at = { issuedAt: NOW.getTime() };
const broker = (): Identity => ({
  subject: uuidv7(),
  roles: ['broker'],
  ...at,
});
const admin = (): Identity => ({ subject: uuidv7(), roles: ['admin'], ...at });
const organization = (organizationId = uuidv7()): Identity => ({
  subject: uuidv7(),
  roles: ['partner'],
  organizationId,
  ...at,
});
const person = (subject = uuidv7()): Identity => ({
  subject,
  roles: ['public'],
  ...at,
});

describe('which demand a caller lists', () => {
  it('lets brokers and admins list every requester, or the one they filter by', () => {
    const requesterId = uuidv7();
    expect(demandListScope(broker(), undefined)).toEqual({});
    expect(demandListScope(admin(), null)).toEqual({});
    expect(demandListScope(broker(), requesterId)).toEqual({ requesterId });
  });

  it('keeps an organization to its own demand, whatever requester it filters by', () => {
    const own = uuidv7();
    expect(demandListScope(organization(own), undefined)).toEqual({
      requesterId: own,
    });
    expect(demandListScope(organization(own), uuidv7())).toEqual({
      requesterId: own,
    });
  });

  it('lists no demand to a caller who acts for no organization', () => {
    expect(demandListScope(person(), undefined)).toBeNull();
    expect(
      demandListScope(
        { roles: ['certifier'], organizationId: uuidv7(), ...at },
        undefined,
      ),
    ).toBeNull();
  });
});

describe('which enrollments a caller lists', () => {
  const provider = uuidv7();
  const venue = uuidv7();
  const cohortId = uuidv7();

  /** A lookup of one cohort delivered by `provider` at `venue`, counting its reads. */
  function cohorts() {
    const asked: string[] = [];
    return {
      asked,
      cohortOf: async (id: string) => {
        asked.push(id);
        return id === cohortId
          ? { providerId: provider, venueId: venue }
          : null;
      },
    };
  }

  it('lets brokers list any enrollments without reading the cohort', async () => {
    const { asked, cohortOf } = cohorts();
    await expect(canListEnrollments(broker(), {}, cohortOf)).resolves.toBe(
      true,
    );
    await expect(
      canListEnrollments(admin(), { cohortId }, cohortOf),
    ).resolves.toBe(true);
    expect(asked).toEqual([]);
  });

  it("lets a person list their own enrollments, not someone else's", async () => {
    const { cohortOf } = cohorts();
    const me = uuidv7();
    await expect(
      canListEnrollments(person(me), { personId: me }, cohortOf),
    ).resolves.toBe(true);
    await expect(
      canListEnrollments(person(me), { personId: uuidv7() }, cohortOf),
    ).resolves.toBe(false);
  });

  it("lets a cohort's provider and venue list that cohort's enrollments", async () => {
    const { cohortOf } = cohorts();
    await expect(
      canListEnrollments(organization(provider), { cohortId }, cohortOf),
    ).resolves.toBe(true);
    await expect(
      canListEnrollments(organization(venue), { cohortId }, cohortOf),
    ).resolves.toBe(true);
  });

  it('refuses another organization, an unknown cohort, and a list with no cohort named', async () => {
    const { cohortOf } = cohorts();
    await expect(
      canListEnrollments(organization(), { cohortId }, cohortOf),
    ).resolves.toBe(false);
    await expect(
      canListEnrollments(
        organization(provider),
        { cohortId: uuidv7() },
        cohortOf,
      ),
    ).resolves.toBe(false);
    await expect(
      canListEnrollments(organization(provider), {}, cohortOf),
    ).resolves.toBe(false);
  });
});
