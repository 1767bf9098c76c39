import type { Identity } from '@conecta/service-kit';
import { voterOf } from '../../src/domain/permissions';

const as = (identity: Partial<Identity>): Identity => ({
  roles: ['council'],
  issuedAt: Date.now(),
  ...identity,
});

describe('who casts a council vote', () => {
  it('is the signed-in person', () => {
    expect(voterOf(as({ subject: 'consejera-1' }))).toBe('consejera-1');
  });

  it('refuses a council identity without a person as UNAUTHENTICATED', () => {
    expect(() => voterOf(as({ organizationId: 'org-1' }))).toThrow(
      expect.objectContaining({ kind: 'UNAUTHENTICATED' }),
    );
  });
});
