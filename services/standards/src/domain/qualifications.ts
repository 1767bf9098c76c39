/** A level of the national qualifications framework. */
export interface QualificationLevel {
  level: number;
  name: string;
  descriptor: string;
}

/**
 * The five levels of Mexico's national qualifications framework for
 * competency standards (CONOCER), from routine work under instructions to
 * strategic, autonomous work. Reference data of the framework itself, not
 * demo data: it changes only with the framework.
 */
export const QUALIFICATION_LEVELS: readonly QualificationLevel[] = [
  {
    level: 1,
    name: 'Nivel 1 — Rutinario',
    descriptor:
      'Performs mostly programmed, routine and predictable activities. Depends on the instructions of a superior and coordinates with co-workers of the same level.',
  },
  {
    level: 2,
    name: 'Nivel 2 — Programado',
    descriptor:
      'Performs programmed activities, mostly routine and predictable, some needing own judgement. Depends on the instructions of a superior and coordinates with co-workers.',
  },
  {
    level: 3,
    name: 'Nivel 3 — Variado',
    descriptor:
      'Performs both programmed routine activities and unpredictable ones. Receives general guidance and specific instructions from a superior; supervises and guides subordinate workers.',
  },
  {
    level: 4,
    name: 'Nivel 4 — Complejo',
    descriptor:
      'Performs complex technical activities in varied, often unpredictable contexts, with broad autonomy. Plans, coordinates and evaluates the work of others and is responsible for resources.',
  },
  {
    level: 5,
    name: 'Nivel 5 — Estratégico',
    descriptor:
      'Applies fundamental principles and complex techniques in a wide, unpredictable range of contexts. Diagnoses, designs, plans and directs strategically; accountable for results and for the decisions of others.',
  },
];

/** The descriptor of `level` (1–5). */
export function qualificationLevel(level: number): QualificationLevel {
  const found = QUALIFICATION_LEVELS.find((l) => l.level === level);
  if (!found) throw new RangeError(`No qualification level ${level}`);
  return found;
}
