import { v7 as uuidv7 } from 'uuid';
import { MEMBER_SIDES } from '@conecta/events/contracts';
import {
  CommitteeNotInstallableError,
  addExpert,
  addExpertInput,
  addMember,
  addMemberInput,
  agendaVersion,
  appointChair,
  attestDecisionMaker,
  dissolveCommittee,
  initialsOf,
  installCommittee,
  installationCheck,
  nextStatus,
  proposeCommittee,
  proposeCommitteeInput,
  publishAgenda,
  publishAgendaInput,
  removeMember,
  viewExpert,
  SIDES_BY_ORGANIZATION_KIND,
  type Committee,
} from '../../src/domain/committee';
import type { OrganizationKind } from '../../src/domain/organization';
import {
  committeeInputMother as input,
  committeeMother,
} from '../fixtures/mothers';

const now = committeeMother.now;
const newId = () => uuidv7();
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
};
const pathsOf = (result: { error?: { issues: { path: PropertyKey[] }[] } }) =>
  result.error?.issues.map((i) => i.path.join('.'));
/** What addMember is told about the organization joining: the clock and its kind. */
const asChamber = { now, organizationKind: 'CHAMBER' } as const;
const asUnion = { now, organizationKind: 'TRADE_UNION' } as const;
const member = (committee: Committee) => ({
  committeeId: committee.id,
  organizationId: committee.members[0]!.organizationId,
});

describe('proposing a committee', () => {
  it('starts PROPOSED, with no members, chair, experts or agenda', () => {
    const { committee, changes } = proposeCommittee(
      proposeCommitteeInput.parse(input.national(uuidv7())),
      { id: 'c-1', now, proposedByOrganizationId: 'org-1' },
    );
    expect(committee).toMatchObject({
      id: 'c-1',
      status: 'PROPOSED',
      scope: 'NATIONAL',
      states: [],
      members: [],
      chairOrganizationId: null,
      experts: [],
      agendas: [],
      proposedByOrganizationId: 'org-1',
      proposedAt: now,
    });
    expect(changes).toEqual([{ type: 'Proposed' }]);
  });

  it('accepts a REGIONAL committee with ISO 3166-2:MX states', () => {
    const parsed = proposeCommitteeInput.parse(input.regional(uuidv7()));
    expect(parsed.states).toEqual(['MX-GUA', 'MX-QUE', 'MX-AGU']);
  });

  it('refuses a REGIONAL committee without states', () => {
    const result = proposeCommitteeInput.safeParse(
      input.regional(uuidv7(), { states: [] }),
    );
    expect(pathsOf(result)).toEqual(['states']);
  });

  it('refuses a NATIONAL committee that lists states', () => {
    const result = proposeCommitteeInput.safeParse(
      input.national(uuidv7(), { states: ['MX-JAL'] }),
    );
    expect(pathsOf(result)).toEqual(['states']);
  });

  it('refuses a state that is not an ISO 3166-2:MX code, and a state listed twice', () => {
    expect(
      pathsOf(
        proposeCommitteeInput.safeParse(
          input.regional(uuidv7(), { states: ['Jalisco' as never] }),
        ),
      ),
    ).toEqual(['states.0']);
    expect(
      pathsOf(
        proposeCommitteeInput.safeParse(
          input.regional(uuidv7(), { states: ['MX-JAL', 'MX-JAL'] }),
        ),
      ),
    ).toEqual(['states.1']);
  });

  it('reports every bad field at once', () => {
    const result = proposeCommitteeInput.safeParse({
      name: 'X',
      sectorId: 'not-a-uuid',
      scope: 'GLOBAL',
    });
    expect(pathsOf(result)?.sort()).toEqual(['name', 'scope', 'sectorId']);
  });
});

describe('members', () => {
  it('adds an organization with its side, position title and attestation', () => {
    const committee = committeeMother.proposed();
    const org = uuidv7();
    const { committee: next, changes } = addMember(
      committee,
      addMemberInput.parse(input.employerMember(committee.id, org)),
      asChamber,
    );
    expect(next.members).toEqual([
      {
        organizationId: org,
        side: 'EMPLOYER',
        positionTitle: 'Director general',
        attestation: { role: 'CHIEF_EXECUTIVE', attestedAt: now },
        joinedAt: now,
      },
    ]);
    expect(changes.map((c) => c.type)).toEqual(['MemberAdded']);
  });

  it('refuses an organization that is already a member', () => {
    const committee = committeeMother.installable();
    expect(
      codeOf(() =>
        addMember(
          committee,
          input.laborMember(committee.id, member(committee).organizationId),
          asUnion,
        ),
      ),
    ).toBe('MEMBER_ALREADY_IN_COMMITTEE');
  });

  it('refuses a trade union on the EMPLOYER side, so it cannot stand in for the employers', () => {
    const committee = committeeMother.proposed();
    let refusal: unknown;
    try {
      addMember(
        committee,
        input.employerMember(committee.id, uuidv7()),
        asUnion,
      );
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({
      kind: 'BAD_USER_INPUT',
      code: 'SIDE_NOT_FOR_ORGANIZATION_KIND',
      field: 'input.side',
    });
  });

  it.each(Object.entries(SIDES_BY_ORGANIZATION_KIND))(
    'seats a %s only on the %s side',
    (kind, [allowed]) => {
      const committee = committeeMother.proposed();
      const context = { now, organizationKind: kind as OrganizationKind };
      for (const side of MEMBER_SIDES) {
        const add = () =>
          addMember(
            committee,
            input.laborMember(committee.id, uuidv7(), { side }),
            context,
          );
        if (side === allowed) expect(add().committee.members).toHaveLength(1);
        else expect(codeOf(add)).toBe('SIDE_NOT_FOR_ORGANIZATION_KIND');
      }
    },
  );

  it('refuses a side that does not exist', () => {
    const result = addMemberInput.safeParse(
      input.employerMember(uuidv7(), uuidv7(), { side: 'BANKING' as never }),
    );
    expect(pathsOf(result)).toEqual(['side']);
  });

  it('lets an unattested member join a PROPOSED committee, but not an INSTALLED one', () => {
    const proposed = committeeMother.proposed();
    expect(
      addMember(proposed, input.laborMember(proposed.id, uuidv7()), asUnion)
        .committee.members[0]?.attestation,
    ).toBeNull();
    const installed = committeeMother.installed();
    expect(
      codeOf(() =>
        addMember(
          installed,
          input.laborMember(installed.id, uuidv7()),
          asUnion,
        ),
      ),
    ).toBe('MEMBER_NOT_ATTESTED');
  });

  it('announces the new membership when an INSTALLED committee changes', () => {
    const installed = committeeMother.installed();
    const added = addMember(
      installed,
      input.employerMember(installed.id, uuidv7()),
      asChamber,
    );
    expect(added.changes.map((c) => c.type)).toEqual([
      'MemberAdded',
      'MembersChanged',
    ]);
    const removed = removeMember(
      added.committee,
      {
        committeeId: installed.id,
        organizationId: added.committee.members.at(-1)!.organizationId,
      },
      { now },
    );
    expect(removed.changes.map((c) => c.type)).toEqual([
      'MemberRemoved',
      'MembersChanged',
    ]);
  });

  it('attests a member as a decision maker, and refuses the same attestation twice', () => {
    let committee = committeeMother.proposed();
    const org = uuidv7();
    committee = addMember(
      committee,
      input.laborMember(committee.id, org),
      asUnion,
    ).committee;
    const attested = attestDecisionMaker(
      committee,
      {
        committeeId: committee.id,
        organizationId: org,
        role: 'UNION_GENERAL_SECRETARY',
      },
      { now },
    );
    expect(attested.committee.members[0]?.attestation).toEqual({
      role: 'UNION_GENERAL_SECRETARY',
      attestedAt: now,
    });
    expect(
      codeOf(() =>
        attestDecisionMaker(
          attested.committee,
          {
            committeeId: committee.id,
            organizationId: org,
            role: 'UNION_GENERAL_SECRETARY',
          },
          { now },
        ),
      ),
    ).toBe('MEMBER_ALREADY_ATTESTED');
  });

  it('refuses to attest or appoint an organization that is not a member', () => {
    const committee = committeeMother.installable();
    const stranger = { committeeId: committee.id, organizationId: uuidv7() };
    expect(
      codeOf(() =>
        attestDecisionMaker(
          committee,
          { ...stranger, role: 'RECTOR' },
          { now },
        ),
      ),
    ).toBe('NOT_A_MEMBER');
    expect(codeOf(() => appointChair(committee, stranger, { now }))).toBe(
      'NOT_A_MEMBER',
    );
    expect(codeOf(() => removeMember(committee, stranger, { now }))).toBe(
      'NOT_A_MEMBER',
    );
  });

  it('does not let the chair leave before another chair is appointed', () => {
    const committee = committeeMother.installable();
    expect(
      codeOf(() =>
        removeMember(
          committee,
          {
            committeeId: committee.id,
            organizationId: committee.chairOrganizationId!,
          },
          { now },
        ),
      ),
    ).toBe('CHAIR_CANNOT_LEAVE');
  });

  it('keeps at least one EMPLOYER member in an INSTALLED committee', () => {
    // The employer is the chair: move the chair to the labor member first.
    let committee = committeeMother.installed();
    const [employer, labor] = committee.members;
    committee = appointChair(
      committee,
      { committeeId: committee.id, organizationId: labor!.organizationId },
      { now },
    ).committee;
    expect(
      codeOf(() =>
        removeMember(
          committee,
          {
            committeeId: committee.id,
            organizationId: employer!.organizationId,
          },
          { now },
        ),
      ),
    ).toBe('LAST_EMPLOYER_MEMBER');
  });
});

describe('the chair', () => {
  it('is one of the members, and can be replaced by another', () => {
    const committee = committeeMother.installable();
    const [, labor] = committee.members;
    const { committee: next, changes } = appointChair(
      committee,
      { committeeId: committee.id, organizationId: labor!.organizationId },
      { now },
    );
    expect(next.chairOrganizationId).toBe(labor!.organizationId);
    expect(changes).toEqual([
      {
        type: 'ChairAppointed',
        organizationId: labor!.organizationId,
        at: now,
      },
    ]);
  });

  it('refuses appointing the member who already chairs', () => {
    const committee = committeeMother.installable();
    expect(
      codeOf(() =>
        appointChair(
          committee,
          {
            committeeId: committee.id,
            organizationId: committee.chairOrganizationId!,
          },
          { now },
        ),
      ),
    ).toBe('ALREADY_CHAIR');
  });
});

describe('the technical working group', () => {
  it('adds experts, who are not members', () => {
    const committee = committeeMother.proposed();
    const { committee: next, changes } = addExpert(
      committee,
      addExpertInput.parse(input.expert(committee.id)),
      { id: 'e-1', now },
    );
    expect(next.experts).toHaveLength(1);
    expect(next.members).toHaveLength(0);
    expect(changes[0]).toMatchObject({
      type: 'ExpertAdded',
      expert: { id: 'e-1' },
    });
  });

  it('refuses the same expert twice in the same specialty, whatever the case or accents', () => {
    const committee = committeeMother.proposed();
    const once = addExpert(committee, input.expert(committee.id), {
      id: 'e-1',
      now,
    }).committee;
    expect(
      codeOf(() =>
        addExpert(
          once,
          input.expert(committee.id, { name: 'MARIA JOSE PEREZ ALVAREZ' }),
          { id: 'e-2', now },
        ),
      ),
    ).toBe('EXPERT_ALREADY_IN_WORKING_GROUP');
  });

  it('shows an expert by initials unless the reader may see the name', () => {
    const committee = addExpert(
      committeeMother.proposed(),
      input.expert(uuidv7()),
      { id: 'e-1', now },
    ).committee;
    const expert = committee.experts[0]!;
    expect(viewExpert(expert, false)).toMatchObject({
      name: null,
      initials: 'M. J. P. Á.',
    });
    expect(viewExpert(expert, true).name).toBe('María José Pérez Álvarez');
    expect(initialsOf('  ana   luz ')).toBe('A. L.');
  });
});

describe('the human-capital agenda', () => {
  it('publishes numbered versions and keeps the earlier ones readable', () => {
    let committee = committeeMother.installed();
    const first = publishAgenda(
      committee,
      publishAgendaInput.parse(input.agenda(committee.id)),
      { now, newId },
    );
    committee = first.committee;
    const second = publishAgenda(
      committee,
      publishAgendaInput.parse({
        ...input.agenda(committee.id),
        items: input.agenda(committee.id).items.slice(0, 1),
      }),
      { now, newId },
    );
    expect(second.committee.agendas.map((a) => a.version)).toEqual([1, 2]);
    expect(agendaVersion(second.committee)?.version).toBe(2);
    expect(agendaVersion(second.committee, 1)?.items).toHaveLength(3);
    expect(agendaVersion(second.committee, 3)).toBeNull();
    expect(second.changes).toMatchObject([
      { type: 'AgendaPublished', agenda: { version: 2 } },
    ]);
  });

  it('numbers priorities in the order given', () => {
    const committee = committeeMother.installed();
    const { committee: next } = publishAgenda(
      committee,
      publishAgendaInput.parse(input.agenda(committee.id)),
      { now, newId },
    );
    expect(next.agendas[0]?.items.map((i) => i.priority)).toEqual([1, 2, 3]);
  });

  it('gives every item an id that a later version keeps when it carries the item over', () => {
    const installed = committeeMother.installed();
    const agenda = input.agenda(installed.id);
    const v1 = publishAgenda(installed, publishAgendaInput.parse(agenda), {
      now,
      newId,
    }).committee;
    const [cloud, dataCentres, security] = v1.agendas[0]!.items;
    const v2 = publishAgenda(
      v1,
      publishAgendaInput.parse({
        committeeId: installed.id,
        items: [
          // Named by id: kept, renamed and reprioritized.
          {
            ...agenda.items[2]!,
            id: security!.id,
            title: 'Analista de ciberseguridad industrial',
          },
          // Same kind and title, different case: kept by its title.
          { ...agenda.items[1]!, title: 'ADMINISTRACIÓN de centros de datos' },
          // New.
          {
            id: null,
            kind: 'FUNCTION',
            title: 'Operación de redes 5G',
            targetYear: now.getUTCFullYear() + 5,
            rationale: null,
          },
        ],
      }),
      { now, newId },
    ).committee;
    const items = agendaVersion(v2)!.items;
    expect(items.map((i) => [i.priority, i.id])).toEqual([
      [1, security!.id],
      [2, dataCentres!.id],
      [
        3,
        expect.not.stringMatching(new RegExp(`${cloud!.id}|${security!.id}`)),
      ],
    ]);
    // The cloud developer is retired: in version 1 only.
    expect(items.map((i) => i.id)).not.toContain(cloud!.id);
    expect(agendaVersion(v2, 1)!.items.map((i) => i.id)).toContain(cloud!.id);
  });

  it('refuses to carry over an id that is not in force, or under another kind', () => {
    const installed = committeeMother.installed();
    const agenda = input.agenda(installed.id);
    const v1 = publishAgenda(installed, publishAgendaInput.parse(agenda), {
      now,
      newId,
    }).committee;
    const fn = v1.agendas[0]!.items[1]!;
    const republish = (item: Record<string, unknown>) => () =>
      publishAgenda(
        v1,
        publishAgendaInput.parse({
          committeeId: installed.id,
          items: [{ ...agenda.items[1]!, ...item }],
        }),
        { now, newId },
      );
    expect(republish({ id: uuidv7() })).toThrow(
      expect.objectContaining({
        code: 'AGENDA_ITEM_NOT_IN_FORCE',
        field: 'input.items[0].id',
      }),
    );
    expect(republish({ id: fn.id, kind: 'OCCUPATION' })).toThrow(
      expect.objectContaining({
        code: 'AGENDA_ITEM_KIND_CHANGED',
        field: 'input.items[0].kind',
      }),
    );
    expect(
      pathsOf(
        publishAgendaInput.safeParse({
          committeeId: installed.id,
          items: [
            { ...agenda.items[0]!, id: fn.id },
            { ...agenda.items[1]!, id: fn.id },
          ],
        }),
      ),
    ).toEqual(['items.1.id']);
  });

  it('refuses a target year before the year of publication, naming the item', () => {
    const committee = committeeMother.installed();
    const agenda = input.agenda(committee.id, now.getUTCFullYear() - 3);
    expect(() => publishAgenda(committee, agenda, { now, newId })).toThrow(
      expect.objectContaining({
        code: 'TARGET_YEAR_IN_PAST',
        field: 'input.items[0].targetYear',
      }),
    );
  });

  it('refuses an empty agenda and a repeated item', () => {
    expect(
      pathsOf(
        publishAgendaInput.safeParse({ committeeId: uuidv7(), items: [] }),
      ),
    ).toEqual(['items']);
    const agenda = input.agenda(uuidv7());
    const repeated = {
      ...agenda,
      items: [
        agenda.items[0]!,
        { ...agenda.items[0]!, title: 'desarrollador DE software en la nube' },
      ],
    };
    expect(pathsOf(publishAgendaInput.safeParse(repeated))).toEqual([
      'items.1.title',
    ]);
  });

  it('is published only by an INSTALLED committee', () => {
    const proposed = committeeMother.proposed();
    expect(
      codeOf(() =>
        publishAgenda(proposed, input.agenda(proposed.id), { now, newId }),
      ),
    ).toBe('COMMITTEE_NOT_INSTALLED');
    const dissolved = committeeMother.dissolved();
    expect(
      codeOf(() =>
        publishAgenda(dissolved, input.agenda(dissolved.id), { now, newId }),
      ),
    ).toBe('COMMITTEE_DISSOLVED');
  });
});

describe('installation', () => {
  it('installs a PROPOSED committee with a chair, an EMPLOYER member and every member attested', () => {
    const { committee, changes } = installCommittee(
      committeeMother.installable(),
      { now },
    );
    expect(committee).toMatchObject({ status: 'INSTALLED', installedAt: now });
    expect(changes).toEqual([{ type: 'Installed' }]);
  });

  it('refuses with every unmet condition at once', () => {
    const empty = committeeMother.proposed();
    expect(() => installCommittee(empty, { now })).toThrow(
      expect.objectContaining({
        code: 'COMMITTEE_NOT_INSTALLABLE',
        unmetConditions: ['NO_CHAIR', 'NO_EMPLOYER_MEMBER'],
      }),
    );
    const unattested = addMember(
      committeeMother.installable(),
      input.laborMember(uuidv7(), uuidv7()),
      asUnion,
    ).committee;
    let refusal: unknown;
    try {
      installCommittee(unattested, { now });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(CommitteeNotInstallableError);
    expect((refusal as CommitteeNotInstallableError).unmetConditions).toEqual([
      'UNATTESTED_MEMBERS',
    ]);
  });

  it('refuses a committee whose only members are not employers', () => {
    let committee = committeeMother.proposed();
    const union = uuidv7();
    committee = addMember(
      committee,
      input.laborMember(committee.id, union, {
        decisionMakerRole: 'UNION_GENERAL_SECRETARY',
      }),
      asUnion,
    ).committee;
    committee = appointChair(
      committee,
      { committeeId: committee.id, organizationId: union },
      { now },
    ).committee;
    expect(installationCheck(committee)).toEqual({
      installable: false,
      unmetConditions: ['NO_EMPLOYER_MEMBER'],
    });
  });

  it('tells whether a committee is installable before trying', () => {
    expect(installationCheck(committeeMother.installable())).toEqual({
      installable: true,
      unmetConditions: [],
    });
    expect(installationCheck(committeeMother.installed()).installable).toBe(
      false,
    );
  });
});

describe('the lifecycle PROPOSED → INSTALLED → DISSOLVED', () => {
  it.each([
    ['PROPOSED', 'install', 'INSTALLED'],
    ['PROPOSED', 'dissolve', 'DISSOLVED'],
    ['INSTALLED', 'dissolve', 'DISSOLVED'],
  ] as const)('allows %s —%s→ %s', (from, transition, to) => {
    expect(nextStatus(from, transition)).toBe(to);
  });

  it.each([
    ['INSTALLED', 'install', 'COMMITTEE_NOT_PROPOSED'],
    ['DISSOLVED', 'install', 'COMMITTEE_NOT_PROPOSED'],
    ['DISSOLVED', 'dissolve', 'COMMITTEE_ALREADY_DISSOLVED'],
  ] as const)('refuses %s —%s with %s', (from, transition, code) => {
    expect(codeOf(() => nextStatus(from, transition))).toBe(code);
  });

  it('refuses installing an INSTALLED committee and dissolving a DISSOLVED one', () => {
    expect(
      codeOf(() => installCommittee(committeeMother.installed(), { now })),
    ).toBe('COMMITTEE_NOT_PROPOSED');
    const dissolved = committeeMother.dissolved();
    expect(dissolved).toMatchObject({
      status: 'DISSOLVED',
      dissolvedAt: now,
      dissolutionReason: 'Fusionado con el comité nacional',
    });
    expect(
      codeOf(() =>
        dissolveCommittee(
          dissolved,
          { committeeId: dissolved.id, reason: 'Otra vez' },
          { now },
        ),
      ),
    ).toBe('COMMITTEE_ALREADY_DISSOLVED');
  });

  it('lets a dissolved committee change nothing', () => {
    const dissolved = committeeMother.dissolved();
    const ref = member(dissolved);
    expect(
      codeOf(() =>
        addMember(
          dissolved,
          input.employerMember(dissolved.id, uuidv7()),
          asChamber,
        ),
      ),
    ).toBe('COMMITTEE_DISSOLVED');
    expect(codeOf(() => removeMember(dissolved, ref, { now }))).toBe(
      'COMMITTEE_DISSOLVED',
    );
    expect(codeOf(() => appointChair(dissolved, ref, { now }))).toBe(
      'COMMITTEE_DISSOLVED',
    );
    expect(
      codeOf(() =>
        attestDecisionMaker(dissolved, { ...ref, role: 'RECTOR' }, { now }),
      ),
    ).toBe('COMMITTEE_DISSOLVED');
    expect(
      codeOf(() =>
        addExpert(dissolved, input.expert(dissolved.id), { id: 'e', now }),
      ),
    ).toBe('COMMITTEE_DISSOLVED');
  });
});
