import type { Identity } from '@conecta/service-kit';
import {
  CAN_REBUILD_READ_MODELS,
  CAN_SET_PROGRAM_GOALS,
  actsForEmployer,
} from '../../src/domain/permissions';

const EMPLOYER = '01900000-0000-7000-8000-00000000e001';
const OTHER_EMPLOYER = '01900000-0000-7000-8000-00000000e002';

const as = (identity: Partial<Identity>): Identity => ({
  roles: [],
  issuedAt: Date.now(),
  subject: 'user-1',
  ...identity,
});

describe('who speaks for an employer (records its placements, submits its surveys)', () => {
  it('lets the employer itself, whatever its roles', () => {
    expect(actsForEmployer(as({ organizationId: EMPLOYER }), EMPLOYER)).toBe(
      true,
    );
  });

  it('lets brokers and admins speak for any employer', () => {
    expect(actsForEmployer(as({ roles: ['broker'] }), EMPLOYER)).toBe(true);
    expect(actsForEmployer(as({ roles: ['admin'] }), EMPLOYER)).toBe(true);
  });

  it('refuses another employer, other roles and anonymous callers', () => {
    expect(
      actsForEmployer(as({ organizationId: OTHER_EMPLOYER }), EMPLOYER),
    ).toBe(false);
    expect(
      actsForEmployer(
        as({ roles: ['council', 'certifier'], organizationId: OTHER_EMPLOYER }),
        EMPLOYER,
      ),
    ).toBe(false);
    expect(actsForEmployer({ roles: [], issuedAt: Date.now() }, EMPLOYER)).toBe(
      false,
    );
  });
});

describe('who sets goals and rebuilds the read models', () => {
  it('lets admins and the council set program goals, and admins alone rebuild', () => {
    expect(CAN_SET_PROGRAM_GOALS).toEqual(['admin', 'council']);
    expect(CAN_REBUILD_READ_MODELS).toEqual(['admin']);
  });
});
