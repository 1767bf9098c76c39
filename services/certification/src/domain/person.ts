import { z } from 'zod';
import { curpSchema } from '@conecta/mexico';

/** A person of the registry. CURP, names and contact details are personal data. */
export interface Person {
  id: string;
  curp: string;
  givenNames: string;
  firstSurname: string;
  secondSurname: string | null;
  email: string | null;
  phone: string | null;
  registeredAt: Date;
}

const name = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must have at most 100 characters');

/** What a caller gives to register a person. */
export const registerPersonInput = z.object({
  curp: curpSchema,
  givenNames: name,
  firstSurname: name,
  secondSurname: name.nullish().transform((v) => v ?? null),
  email: z
    .email('must be an email address')
    .max(254)
    .nullish()
    .transform((v) => v?.toLowerCase() ?? null),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 -]{8,20}$/, 'must be a phone number (8–20 digits)')
    .nullish()
    .transform((v) => v ?? null),
});

export type RegisterPersonInput = z.output<typeof registerPersonInput>;

/** A new person from validated input; id and clock come from outside. */
export function registerPerson(
  input: RegisterPersonInput,
  { id, now }: { id: string; now: Date },
): Person {
  return { id, ...input, registeredAt: now };
}

// Particles of Spanish names, left out of initials as people write them:
// "María de los Ángeles del Río" → "M.Á.R.".
const NAME_PARTICLES = new Set(['de', 'del', 'la', 'las', 'los', 'y', 'e']);
// At most this many letters ("X." each): the events carry initials of at most
// 20 characters, and the public needs no more to tell people apart.
const MAX_INITIALS = 10;

/**
 * Initials of the name, the only part of it the public sees: one letter per
 * given name and surname, e.g. "María Guadalupe López Ramos" → "M.G.L.R.",
 * without particles ("de", "del", "la", "los", "y"…), at most ten letters.
 */
export function initialsOf(
  person: Pick<Person, 'givenNames' | 'firstSurname' | 'secondSurname'>,
): string {
  const words = [person.givenNames, person.firstSurname, person.secondSurname]
    .filter((part): part is string => Boolean(part))
    .flatMap((part) => part.split(/\s+/))
    .filter((word) => word.length > 0);
  const named = words.filter((w) => !NAME_PARTICLES.has(w.toLowerCase()));
  // A name of particles only (unlikely, but allowed by the input): their letters.
  return (named.length > 0 ? named : words)
    .slice(0, MAX_INITIALS)
    .map((word) => `${word.charAt(0).toUpperCase()}.`)
    .join('');
}

/**
 * What registerPerson answers, the same for a new CURP and a known one: a
 * fresh reference, and the person only for callers who may see it (admins).
 */
export interface PersonRegistration {
  reference: string;
  person: Person | null;
}
