import {
  registerOrganization,
  registerOrganizationInput,
  listOrganizationsArgs,
} from '../../src/domain/organization';
import { companyRfc, withWrongDigit } from '@conecta/test-kit';
import { organizationMother } from '../fixtures/mothers';

describe('registering an organization', () => {
  it('accepts a company with a valid RFC and normalises it to upper case', () => {
    const rfc = companyRfc();
    const parsed = registerOrganizationInput.parse(
      organizationMother.chamber({ taxId: rfc.toLowerCase() }),
    );
    expect(parsed.taxId).toBe(rfc);
  });

  it('refuses an RFC whose verification digit is wrong', () => {
    const result = registerOrganizationInput.safeParse(
      organizationMother.chamber({ taxId: withWrongDigit(companyRfc()) }),
    );
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual([
      'taxId',
    ]);
  });

  it('refuses the generic RFC of the general public', () => {
    const result = registerOrganizationInput.safeParse(
      organizationMother.chamber({ taxId: 'XAXX010101000' }),
    );
    expect(result.error?.issues[0]?.message).toMatch(/generic RFC/);
  });

  it('refuses a state that is not an ISO 3166-2:MX code', () => {
    const result = registerOrganizationInput.safeParse(
      organizationMother.chamber({ state: 'Jalisco' as never }),
    );
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual([
      'state',
    ]);
  });

  it('reports every bad field at once', () => {
    const result = registerOrganizationInput.safeParse({
      name: 'X',
      kind: 'BANK',
      state: 'MX-XX',
      taxId: 'nope',
    });
    expect(result.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'kind',
      'name',
      'state',
      'taxId',
    ]);
  });

  it('keeps the given id and registration time', () => {
    const now = new Date('2026-01-15T10:00:00.000Z');
    const org = registerOrganization(
      registerOrganizationInput.parse(organizationMother.university()),
      { id: 'org-1', now },
    );
    expect(org).toMatchObject({
      id: 'org-1',
      kind: 'UNIVERSITY',
      state: 'MX-NLE',
      registeredAt: now,
    });
  });
});

describe('listing the directory', () => {
  it('pages 20 at a time unless asked and never more than 100', () => {
    expect(listOrganizationsArgs.parse({}).first).toBe(20);
    expect(listOrganizationsArgs.safeParse({ first: 101 }).success).toBe(false);
    expect(listOrganizationsArgs.safeParse({ first: 0 }).success).toBe(false);
  });
});
