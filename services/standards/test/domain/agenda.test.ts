import { v7 as uuidv7 } from 'uuid';
import {
  agendaCoverage,
  standardAgendaItem,
} from '../../src/domain/agenda-coverage';
import {
  draftStandard,
  draftStandardInput,
  reviseStandard,
} from '../../src/domain/standard';
import {
  agendaMother,
  committeeMother,
  standardMother,
} from '../fixtures/mothers';

const now = new Date('2026-03-01T12:00:00.000Z');
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string; field?: string }).code;
  }
  return undefined;
};

describe('agenda first: a draft covers an item of the agenda in force', () => {
  it('links the draft to the item, as the agenda in force reads', () => {
    const committee = committeeMother.installed();
    const item = committee.agenda!.items[1]!;
    const draft = draftStandard(
      draftStandardInput.parse(
        standardMother.draftInput(committee, { agendaItemId: item.id }),
      ),
      { id: uuidv7(), code: 'EC0001', committee, now },
    );
    expect(draft.agendaItem).toEqual({
      id: item.id,
      agendaVersion: 1,
      priority: 2,
      kind: 'FUNCTION',
      title: 'Administración de centros de datos',
      targetYear: 2028,
    });
  });

  it('accepts an occupation as well as a function: a standard describes either', () => {
    const committee = committeeMother.installed();
    const occupation = committee.agenda!.items.find(
      (i) => i.kind === 'OCCUPATION',
    )!;
    const draft = draftStandard(
      draftStandardInput.parse(
        standardMother.draftInput(committee, { agendaItemId: occupation.id }),
      ),
      { id: uuidv7(), code: 'EC0001', committee, now },
    );
    expect(draft.agendaItem?.kind).toBe('OCCUPATION');
  });

  it('refuses a committee with no agenda in force with NO_AGENDA_IN_FORCE, naming the item field', () => {
    const committee = committeeMother.installed({ agenda: null });
    const input = draftStandardInput.parse(
      standardMother.draftInput(committee),
    );
    expect(() =>
      draftStandard(input, { id: uuidv7(), code: 'EC0001', committee, now }),
    ).toThrow(
      expect.objectContaining({
        code: 'NO_AGENDA_IN_FORCE',
        field: 'input.agendaItemId',
      }),
    );
  });

  it('refuses an item retired by a later version, or of another committee, with AGENDA_ITEM_NOT_IN_FORCE', () => {
    const first = agendaMother.inForce(1);
    // Version 2 keeps the first two items and retires the third.
    const second = agendaMother.inForce(2, first.items.slice(0, 2));
    const committee = committeeMother.installed({ agenda: second });
    const other = committeeMother.installed();
    for (const agendaItemId of [
      first.items[2]!.id,
      other.agenda!.items[0]!.id,
    ]) {
      const input = draftStandardInput.parse(
        standardMother.draftInput(committee, { agendaItemId }),
      );
      expect(
        codeOf(() =>
          draftStandard(input, {
            id: uuidv7(),
            code: 'EC0001',
            committee,
            now,
          }),
        ),
      ).toBe('AGENDA_ITEM_NOT_IN_FORCE');
    }
  });

  it('checks the committee before the agenda: an unknown committee is COMMITTEE_NOT_INSTALLED', () => {
    const input = draftStandardInput.parse(
      standardMother.draftInput(committeeMother.installed()),
    );
    expect(
      codeOf(() =>
        draftStandard(input, {
          id: uuidv7(),
          code: 'EC0001',
          committee: null,
          now,
        }),
      ),
    ).toBe('COMMITTEE_NOT_INSTALLED');
  });

  it('requires the item id, saying what it is for', () => {
    const committee = committeeMother.installed();
    const { agendaItemId: _left, ...withoutItem } =
      standardMother.draftInput(committee);
    const result = draftStandardInput.safeParse(withoutItem);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        path: ['agendaItemId'],
        message: expect.stringContaining('agenda in force'),
      }),
    ]);
  });

  it('keeps the item on a revision, even one the agenda has since retired', () => {
    const committee = committeeMother.installed();
    const link = {
      ...committee.agenda!.items[2]!,
      agendaVersion: 1,
    };
    const published = standardMother.inStatus('PUBLISHED', {
      committeeId: committee.id,
      sectorId: committee.sectorId,
      agendaItem: link,
    });
    const retiring = committeeMother.installed({
      ...committee,
      agenda: agendaMother.inForce(2, committee.agenda!.items.slice(0, 2)),
    });
    const revision = reviseStandard(published, {
      id: uuidv7(),
      latestVersion: 1,
      committee: retiring,
      now,
    });
    expect(revision.agendaItem).toEqual(link);
  });
});

describe('a standard’s agenda item', () => {
  const committee = committeeMother.installed();
  const item = committee.agenda!.items[0]!;
  const link = { ...item, agendaVersion: 1 };

  it('reads as the agenda in force has it while the item is in force', () => {
    const renamed = agendaMother.inForce(2, [
      committee.agenda!.items[1]!,
      { ...item, priority: 2, title: 'Impartición de cursos en línea' },
    ]);
    expect(standardAgendaItem({ agendaItem: link }, renamed)).toEqual({
      ...link,
      agendaVersion: 2,
      priority: 2,
      title: 'Impartición de cursos en línea',
      inForce: true,
    });
  });

  it('reads as it was linked, not in force, once retired', () => {
    const retired = agendaMother.inForce(2, committee.agenda!.items.slice(1));
    expect(standardAgendaItem({ agendaItem: link }, retired)).toEqual({
      ...link,
      inForce: false,
    });
  });

  it('is null for a standard drafted before items were required', () => {
    expect(standardAgendaItem({}, committee.agenda)).toBeNull();
  });
});

describe('agenda coverage', () => {
  it('counts the items with a PUBLISHED standard against all items', () => {
    const agenda = agendaMother.inForce();
    const [teaching, dataCentres, security] = agenda.items;
    const linkedTo = (
      item: typeof teaching,
      status: Parameters<typeof standardMother.inStatus>[0],
    ) =>
      standardMother.inStatus(status, {
        agendaItem: { ...item!, agendaVersion: 1 },
      });
    const standards = [
      // Two published standards cover the first item: it counts once.
      linkedTo(teaching, 'PUBLISHED'),
      linkedTo(teaching, 'PUBLISHED'),
      // Neither a draft, a withdrawn nor a superseded standard covers anything.
      linkedTo(dataCentres, 'DRAFT'),
      linkedTo(dataCentres, 'WITHDRAWN'),
      linkedTo(security, 'SUPERSEDED'),
      // Nor one of a retired item, nor one drafted before items.
      standardMother.inStatus('PUBLISHED', {
        agendaItem: {
          ...teaching!,
          id: uuidv7(),
          agendaVersion: 1,
        },
      }),
      standardMother.inStatus('PUBLISHED'),
    ];
    const coverage = agendaCoverage(agenda, standards);
    // By hand: 1 item of 3 covered, 1/3 = 0.333.
    expect(coverage).toMatchObject({
      agendaVersion: 1,
      itemCount: 3,
      coveredItemCount: 1,
      ratio: 0.333,
    });
    expect(
      coverage.items.map((i) => [
        i.item.title,
        i.covered,
        i.publishedStandards.length,
      ]),
    ).toEqual([
      ['Impartición de cursos de formación del capital humano', true, 2],
      ['Administración de centros de datos', false, 0],
      ['Analista de ciberseguridad', false, 0],
    ]);
  });

  it('reaches 1 when every item has a published standard, listing items by priority', () => {
    const agenda = agendaMother.inForce(3, [
      ...agendaMother.inForce().items.map((i) => ({
        ...i,
        priority: 4 - i.priority,
      })),
    ]);
    const standards = agenda.items.map((item) =>
      standardMother.inStatus('PUBLISHED', {
        agendaItem: { ...item, agendaVersion: 3 },
      }),
    );
    const coverage = agendaCoverage(agenda, standards);
    expect(coverage.ratio).toBe(1);
    expect(coverage.coveredItemCount).toBe(3);
    expect(coverage.items.map((i) => i.item.priority)).toEqual([1, 2, 3]);
    expect(coverage.items.every((i) => i.item.inForce)).toBe(true);
  });
});
