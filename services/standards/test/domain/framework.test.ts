import { compareStandards } from '../../src/domain/compare';
import {
  QUALIFICATION_LEVELS,
  qualificationLevel,
} from '../../src/domain/qualifications';
import { canSeeStandard } from '../../src/domain/permissions';
import { STANDARD_STATUSES } from '../../src/domain/lifecycle';
import {
  committeeMother,
  elementMother,
  standardMother,
} from '../fixtures/mothers';

describe('the qualifications framework', () => {
  it('has the five levels in order, each with a descriptor', () => {
    expect(QUALIFICATION_LEVELS.map((l) => l.level)).toEqual([1, 2, 3, 4, 5]);
    for (const level of QUALIFICATION_LEVELS)
      expect(level.descriptor.length).toBeGreaterThan(40);
    expect(qualificationLevel(3).name).toMatch(/3/);
  });
});

describe('comparing two standards', () => {
  it('lists added, removed and changed elements with their criteria, ignoring case and spacing', () => {
    const shared = elementMother();
    const a = standardMother.inStatus('PUBLISHED', {
      elements: [
        shared,
        elementMother({
          title: 'Evaluar el curso',
          knowledge: ['Tipos de evaluación'],
        }),
        elementMother({ title: 'Elemento retirado' }),
      ],
    });
    const b = standardMother.inStatus('PUBLISHED', {
      level: 4,
      elements: [
        { ...shared, title: '  PREPARAR la sesión de capacitación ' },
        elementMother({
          title: 'evaluar el curso',
          knowledge: ['Tipos de evaluación', 'Rúbricas'],
          performanceCriteria: ['Aplica el instrumento de evaluación'],
        }),
        elementMother({ title: 'Elemento nuevo' }),
      ],
    });
    const comparison = compareStandards(a, b);
    expect(comparison.changedFields).toEqual(['level', 'sector']);
    expect(comparison.unchangedElements).toEqual([shared.title]);
    expect(comparison.elements.map((e) => [e.change, e.title])).toEqual([
      ['CHANGED', 'Evaluar el curso'],
      ['REMOVED', 'Elemento retirado'],
      ['ADDED', 'Elemento nuevo'],
    ]);
    const changed = comparison.elements[0]!;
    expect(changed.knowledge).toEqual({ added: ['Rúbricas'], removed: [] });
    expect(changed.performanceCriteria.added).toEqual([
      'Aplica el instrumento de evaluación',
    ]);
    expect(changed.performanceCriteria.removed).toHaveLength(2);
    expect(comparison.elements[2]!.knowledge.removed).toEqual([]);
  });
});

describe('who sees a standard', () => {
  const committee = committeeMother.installed();
  const member = {
    roles: ['committee_member' as const],
    organizationId: committee.memberOrganizationIds[0],
    issuedAt: 0,
  };
  const outsider = {
    roles: ['committee_member' as const],
    organizationId: 'other-org',
    issuedAt: 0,
  };
  const anonymous = { roles: ['public' as const], issuedAt: 0 };
  const council = { roles: ['council' as const], subject: 'c-1', issuedAt: 0 };

  it.each([...STANDARD_STATUSES])('in %s', (status) => {
    const standard = standardMother.inStatus(status, {
      committeeId: committee.id,
    });
    const isPublic = ['PUBLISHED', 'WITHDRAWN', 'SUPERSEDED'].includes(status);
    expect(canSeeStandard(anonymous, standard, committee)).toBe(isPublic);
    expect(canSeeStandard(outsider, standard, committee)).toBe(isPublic);
    expect(canSeeStandard(member, standard, committee)).toBe(true);
    expect(canSeeStandard(council, standard, committee)).toBe(true);
  });
});
