import type { CommitteeView } from './committee';
import type { StandardContent } from './standard';

/** One automated methodology check result. */
export interface ReviewCheck {
  code: string;
  passed: boolean;
  message: string;
  /** The element concerned, when the check is about one. */
  elementIndex?: number;
}

/**
 * The automated methodology checks (DESIGN §2): the standard has elements,
 * every element has performance criteria and knowledge, the level is on the
 * framework (1–5), and the sector is the owning committee's. One result per
 * check and element, passed or not, so reviewers see what was verified.
 */
export function runAutomatedChecks(
  standard: StandardContent & { sectorId: string },
  committee: CommitteeView | null,
): ReviewCheck[] {
  const checks: ReviewCheck[] = [
    {
      code: 'HAS_ELEMENTS',
      passed: standard.elements.length > 0,
      message: 'The standard has at least one element',
    },
  ];
  standard.elements.forEach((element, elementIndex) => {
    checks.push(
      {
        code: 'ELEMENT_HAS_PERFORMANCE_CRITERIA',
        passed: element.performanceCriteria.length > 0,
        message: `Element ${elementIndex + 1} "${element.title}" has performance criteria`,
        elementIndex,
      },
      {
        code: 'ELEMENT_HAS_KNOWLEDGE',
        passed: element.knowledge.length > 0,
        message: `Element ${elementIndex + 1} "${element.title}" has knowledge`,
        elementIndex,
      },
    );
  });
  checks.push(
    {
      code: 'LEVEL_IN_RANGE',
      passed:
        Number.isInteger(standard.level) &&
        standard.level >= 1 &&
        standard.level <= 5,
      message: `Level ${standard.level} is on the qualifications framework (1–5)`,
    },
    {
      code: 'SECTOR_MATCHES_COMMITTEE',
      passed: committee !== null && committee.sectorId === standard.sectorId,
      message: "The standard's sector is its committee's sector",
    },
  );
  return checks;
}

/** The failed checks only. */
export function failedChecks(checks: readonly ReviewCheck[]): ReviewCheck[] {
  return checks.filter((c) => !c.passed);
}
