import type { CompetencyStandard, StandardElement } from './standard';

export interface ListDifference {
  added: string[];
  removed: string[];
}

export interface ElementDifference {
  change: 'ADDED' | 'REMOVED' | 'CHANGED';
  title: string;
  performanceCriteria: ListDifference;
  products: ListDifference;
  knowledge: ListDifference;
  attitudes: ListDifference;
}

export interface StandardComparison {
  a: CompetencyStandard;
  b: CompetencyStandard;
  changedFields: string[];
  elements: ElementDifference[];
  unchangedElements: string[];
}

const LISTS = [
  'performanceCriteria',
  'products',
  'knowledge',
  'attitudes',
] as const;

// Committees write the same criterion with different case and spacing; those
// are not differences a reader cares about.
const normalise = (text: string): string =>
  text.trim().replace(/\s+/g, ' ').toLowerCase();

function listDifference(
  from: readonly string[],
  to: readonly string[],
): ListDifference {
  const fromKeys = new Set(from.map(normalise));
  const toKeys = new Set(to.map(normalise));
  return {
    added: to.filter((item) => !fromKeys.has(normalise(item))),
    removed: from.filter((item) => !toKeys.has(normalise(item))),
  };
}

const EMPTY: StandardElement = {
  title: '',
  performanceCriteria: [],
  products: [],
  knowledge: [],
  attitudes: [],
};

function elementDifference(
  change: ElementDifference['change'],
  title: string,
  from: StandardElement,
  to: StandardElement,
): ElementDifference {
  return {
    change,
    title,
    performanceCriteria: listDifference(
      from.performanceCriteria,
      to.performanceCriteria,
    ),
    products: listDifference(from.products, to.products),
    knowledge: listDifference(from.knowledge, to.knowledge),
    attitudes: listDifference(from.attitudes, to.attitudes),
  };
}

/**
 * What changes from `a` to `b`, element by element. Elements are matched by
 * title (ignoring case and spacing); list items likewise. Elements only in
 * `a` are REMOVED, only in `b` ADDED, in both with different lists CHANGED;
 * identical ones are listed by title in `unchangedElements`. Order follows
 * `a`, then the elements new in `b`.
 */
export function compareStandards(
  a: CompetencyStandard,
  b: CompetencyStandard,
): StandardComparison {
  const changedFields = (['title', 'purpose', 'level', 'sectorId'] as const)
    .filter((field) =>
      typeof a[field] === 'string'
        ? normalise(a[field] as string) !== normalise(b[field] as string)
        : a[field] !== b[field],
    )
    .map((field) => (field === 'sectorId' ? 'sector' : field));

  const inB = new Map(b.elements.map((e) => [normalise(e.title), e]));
  const inA = new Set(a.elements.map((e) => normalise(e.title)));
  const elements: ElementDifference[] = [];
  const unchangedElements: string[] = [];

  for (const element of a.elements) {
    const other = inB.get(normalise(element.title));
    if (!other) {
      elements.push(
        elementDifference('REMOVED', element.title, element, EMPTY),
      );
      continue;
    }
    const difference = elementDifference(
      'CHANGED',
      element.title,
      element,
      other,
    );
    const changed = LISTS.some(
      (list) =>
        difference[list].added.length > 0 ||
        difference[list].removed.length > 0,
    );
    if (changed) elements.push(difference);
    else unchangedElements.push(element.title);
  }
  for (const element of b.elements) {
    if (!inA.has(normalise(element.title)))
      elements.push(elementDifference('ADDED', element.title, EMPTY, element));
  }
  return { a, b, changedFields, elements, unchangedElements };
}
