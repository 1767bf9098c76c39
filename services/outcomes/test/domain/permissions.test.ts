import type { Identity } from '@conecta/service-kit';
import {
  ForbiddenError,
  UnauthenticatedError,
  localizeError,
  type DomainError,
} from '@conecta/service-kit/errors';
import {
  CAN_REBUILD_READ_MODELS,
  CAN_SET_PROGRAM_GOALS,
  actsForEmployer,
  assertActsForEmployer,
} from '../../src/domain/permissions';
import { outcomesMessages } from '../../src/domain/messages';

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

describe('the refusal a caller who does not speak for the employer gets', () => {
  const refusal = (
    identity: Identity,
    action: Parameters<typeof assertActsForEmployer>[2],
  ) => {
    try {
      assertActsForEmployer(identity, EMPLOYER, action);
    } catch (error) {
      return error;
    }
    return null;
  };

  it('says who records placements and submits surveys, to another employer or role', () => {
    const other = as({ roles: ['university'], organizationId: OTHER_EMPLOYER });
    const placement = refusal(other, 'recordPlacement');
    expect(placement).toBeInstanceOf(ForbiddenError);
    expect(placement).toMatchObject({
      code: 'FORBIDDEN',
      message: 'Only the employer, brokers and admins record placements',
    });
    expect(refusal(other, 'submitEmployerSurvey')).toMatchObject({
      code: 'FORBIDDEN',
      message: 'Only the employer, brokers and admins submit surveys',
    });
  });

  it('is read in Spanish by default', () => {
    const other = as({ roles: ['council'], organizationId: OTHER_EMPLOYER });
    const spanish = (action: Parameters<typeof assertActsForEmployer>[2]) =>
      localizeError(
        refusal(other, action) as DomainError,
        'es',
        outcomesMessages,
      ).message;
    expect(spanish('recordPlacement')).toBe(
      'Solo el empleador, los intermediarios (brokers) y los administradores registran colocaciones',
    );
    expect(spanish('submitEmployerSurvey')).toBe(
      'Solo el empleador, los intermediarios (brokers) y los administradores envían encuestas',
    );
  });

  it('asks an anonymous caller to sign in, and lets the employer, brokers and admins through', () => {
    expect(
      refusal({ roles: ['public'], issuedAt: Date.now() }, 'recordPlacement'),
    ).toBeInstanceOf(UnauthenticatedError);
    expect(
      refusal(as({ organizationId: EMPLOYER }), 'recordPlacement'),
    ).toBeNull();
    expect(
      refusal(as({ roles: ['broker'] }), 'submitEmployerSurvey'),
    ).toBeNull();
    expect(refusal(as({ roles: ['admin'] }), 'recordPlacement')).toBeNull();
  });
});
