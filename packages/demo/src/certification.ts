import { createHash } from 'node:crypto';
import { fakerES_MX as faker } from '@faker-js/faker';
import { curpCheckDigit, generateCurp, isValidCurp } from '@conecta/mexico';
import { whenProjected, type Actor, type GraphClient } from './graph-client';
import { inBatches } from './in-batches';

/** A published standard, with the committee that nominates its certifiers. */
export interface PublishedStandard {
  id: string;
  committeeId: string;
  /** Its sector's SCIAN code. */
  sector: string;
}

/** A certifying body of the demo, by catalog key, with the state of its facility. */
export interface DemoCertifyingBody {
  key: string;
  id: string;
  organizationId: string;
  kind: string;
  state: string;
}

/** A published standard and the bodies accredited (active, with fees) to certify it. */
export interface AccreditedStandard extends PublishedStandard {
  bodies: readonly DemoCertifyingBody[];
}

/** A certificate of the legacy registry, imported: its holder, standard, body and issue day. */
export interface LegacyCertificate {
  personId: string;
  standardId: string;
  certifyingBodyId: string;
  /** YYYY-MM-DD. */
  issuedOn: string;
}

/** A person registered and evaluated live, with the standard they were evaluated on. */
export interface LivePerson {
  id: string;
  person: ReturnType<typeof newPerson>;
  standardId: string;
}

/** Organizations that act as certifying bodies, by catalog key, with their kind. */
const BODIES: readonly { key: string; kind: string; state: string }[] = [
  { key: 'unam', kind: 'UNIVERSITY', state: 'MX-CMX' },
  { key: 'udg', kind: 'UNIVERSITY', state: 'MX-JAL' },
  { key: 'uanl', kind: 'UNIVERSITY', state: 'MX-NLE' },
  { key: 'uabc', kind: 'UNIVERSITY', state: 'MX-BCN' },
  { key: 'uaq', kind: 'UNIVERSITY', state: 'MX-QUE' },
  { key: 'conalep', kind: 'VOCATIONAL_SCHOOL', state: 'MX-MEX' },
  { key: 'ctm', kind: 'TRADE_UNION', state: 'MX-CMX' },
  { key: 'sindicato-automotriz', kind: 'TRADE_UNION', state: 'MX-PUE' },
  { key: 'canieti', kind: 'CHAMBER', state: 'MX-CMX' },
  { key: 'coparmex-jal', kind: 'CHAMBER', state: 'MX-JAL' },
  // Employers certify their own workforce: the first generated company of two sectors.
  { key: 'company:5415:1', kind: 'EMPLOYER', state: 'MX-JAL' },
  { key: 'company:3361:1', kind: 'EMPLOYER', state: 'MX-NLE' },
];

// A standard needs three nominated certifiers before any accreditation is active;
// the demo nominates four so one can be suspended later without blocking anyone.
const NOMINEES_PER_STANDARD = 4;
// Candidates evaluated per published standard, at any scale: the standards
// themselves grow with the scale, so the registry grows linearly with it.
const CANDIDATES_PER_STANDARD = 20;
// Share of evaluations that find the candidate competent.
const COMPETENT_SHARE = 0.85;
const DAY_MS = 86_400_000;
// Ages are drawn as of a fixed day, not as of now: a birth date drawn relative
// to the moment of the draw moves with it (a minute later, about one person in
// 1,400 is born a day apart), and the CURP holds it, so a resumed load would
// register that person anew, and enroll and certify them twice.
const AGES_AS_OF = new Date(Date.UTC(2025, 0, 1));
// Legacy certificates imported per published standard, at any scale (as
// candidates): with the ~136 live ones, scale 1's 8 published standards make
// over 2,000 certificates, scale 10's 80 over 21,000.
const LEGACY_PER_STANDARD = 250;
// How far back the legacy registry goes, and where it stops (last month).
const LEGACY_YEARS = 6;
const LEGACY_UNTIL_DAYS_AGO = 30;
// Share of legacy records of a person already certified for another standard.
const RECERTIFIED_SHARE = 0.1;
// importHistoricalCertificates takes at most 500 records a call.
const IMPORT_BATCH = 500;

const ADMIN: Actor = { sub: 'demo-admin', roles: ['admin'] };
/** A body's evaluator or certifier (different people: the certifier never evaluated). */
export const staff = (
  role: 'evaluator' | 'certifier',
  key: string,
  organizationId: string,
): Actor => ({
  sub: `${role}@${key}`,
  roles: ['certifier'],
  org: organizationId,
});

/** A certifying body as its staff act for it. */
type ActingBody = Pick<DemoCertifyingBody, 'id' | 'key' | 'organizationId'>;

/**
 * The body enrols a candidate (issue 12, finding 4: no evaluation without an
 * accepted candidacy): its evaluator registers the CURP (a reference back,
 * never the person), proposes the candidacy, and the person accepts it.
 */
export async function enrolCandidate(
  graph: GraphClient,
  body: ActingBody,
  candidate: { personId: string; person: object; standardId: string },
): Promise<void> {
  const evaluator = staff('evaluator', body.key, body.organizationId);
  const { registerPerson: enrolled } = await graph(
    evaluator,
    `mutation ($i: RegisterPersonInput!) { registerPerson(input: $i) { reference } }`,
    { i: candidate.person },
  );
  const { proposeCandidacy } = await graph(
    evaluator,
    `mutation ($i: ProposeCandidacyInput!) { proposeCandidacy(input: $i) { id } }`,
    {
      i: {
        certifyingBodyId: body.id,
        personReference: enrolled.reference,
        standardId: candidate.standardId,
      },
    },
  );
  await graph(
    { sub: candidate.personId, roles: ['public'] },
    `mutation ($id: ID!) { acceptCandidacy(id: $id) { id } }`,
    { id: proposeCandidacy.id },
  );
}

/**
 * One of the body's evaluators records the evaluation (`observed`: the
 * evidence of a competent candidate); when competent, one of its certifiers,
 * who never evaluated, issues the certificate. Answers whether it did.
 */
export async function evaluateAndCertify(
  graph: GraphClient,
  body: ActingBody,
  evaluation: {
    personId: string;
    standardId: string;
    competent: boolean;
    evaluatedAt: string;
    observed: string;
  },
): Promise<boolean> {
  const { recordEvaluation } = await graph(
    staff('evaluator', body.key, body.organizationId),
    `mutation ($i: RecordEvaluationInput!) { recordEvaluation(input: $i) { id } }`,
    {
      i: {
        certifyingBodyId: body.id,
        candidateId: evaluation.personId,
        standardId: evaluation.standardId,
        evidenceSummary: evaluation.competent
          ? evaluation.observed
          : 'Faltan evidencias de desempeño en el elemento 2',
        result: evaluation.competent ? 'COMPETENT' : 'NOT_YET_COMPETENT',
        evaluatedAt: evaluation.evaluatedAt,
      },
    },
  );
  if (!evaluation.competent) return false;
  await graph(
    staff('certifier', body.key, body.organizationId),
    `mutation ($e: ID!) { issueCertificate(evaluationId: $e) { id } }`,
    { e: recordEvaluation.id },
  );
  return true;
}

/**
 * The certifying network of the demo: universities, unions, chambers and a
 * vocational school as certifying bodies across states, nominated by each
 * standard's committee, accredited, with fees; then candidates, each with an
 * accepted candidacy (proposed by the body and accepted by the person, or
 * registered by an admin), evaluated and certified by different staff of the
 * same body (the certifier never evaluated);
 * then the legacy registry's certificates of the last six years, imported.
 * `certificates` counts both. Its size follows the published standards (the
 * scale multiplies those).
 */
export async function loadCertification(
  graph: GraphClient,
  {
    published,
    organizationIds,
    log,
  }: {
    published: PublishedStandard[];
    organizationIds: Map<string, string>;
    log: (line: string) => void;
  },
): Promise<{
  bodies: number;
  accreditations: number;
  personIds: string[];
  certificates: number;
  /** Every published standard with its accredited bodies. */
  accreditedStandards: AccreditedStandard[];
  /** The people of `personIds`, in the same order, with their data. */
  livePeople: LivePerson[];
  /** The legacy registry's certificates (imported now or before), with their holders. */
  legacy: LegacyCertificate[];
}> {
  const bodies: DemoCertifyingBody[] = [];
  for (const body of BODIES) {
    const organizationId = organizationIds.get(body.key)!;
    // Drawn once, outside the retried attempt: a retry must not shift the
    // seeded sequence, or a resumed load would ask for other data.
    const city = faker.location.city();
    // The organization's registration reaches certification through Kafka.
    const { registerCertifyingBody } = await whenProjected(
      () =>
        graph(
          ADMIN,
          `mutation ($i: RegisterCertifyingBodyInput!) { registerCertifyingBody(input: $i) { id } }`,
          {
            i: {
              organizationId,
              kind: body.kind,
              facilities: [{ state: body.state, city }],
            },
          },
        ),
      ['ORGANIZATION_NOT_FOUND', 'UNKNOWN_ORGANIZATION'],
    );
    const id: string = registerCertifyingBody.id;
    for (const role of ['evaluator', 'certifier'] as const) {
      await graph(
        ADMIN,
        `mutation ($b: ID!, $m: StaffMemberInput!) { setStaffMember(certifyingBodyId: $b, member: $m) { id } }`,
        {
          b: id,
          m: {
            subject: staff(role, body.key, organizationId).sub,
            name: faker.person.fullName(),
            roles: [role === 'evaluator' ? 'EVALUATOR' : 'CERTIFIER'],
          },
        },
      );
    }
    // Safeguard 2: no accreditation of the body becomes ACTIVE before an
    // admin approves its evaluation procedure. The document is named after
    // the body (no draw: the seeded sequence and a resumed load stay as they were).
    const certifier = staff('certifier', body.key, organizationId);
    const { draftEvaluationProcedure } = await graph(
      certifier,
      `mutation ($i: DraftEvaluationProcedureInput!) { draftEvaluationProcedure(input: $i) { id } }`,
      {
        i: {
          certifyingBodyId: id,
          documentUrl: `https://documentos.conecta.example/procedimientos/${body.key}-v1.pdf`,
          documentSha256: createHash('sha256')
            .update(`Procedimiento de evaluación de ${body.key}, versión 1`)
            .digest('hex'),
        },
      },
    );
    await graph(
      certifier,
      `mutation ($id: ID!) { submitEvaluationProcedure(id: $id) { id } }`,
      { id: draftEvaluationProcedure.id },
    );
    await graph(
      ADMIN,
      `mutation ($id: ID!) { approveEvaluationProcedure(id: $id) { id } }`,
      { id: draftEvaluationProcedure.id },
    );
    bodies.push({
      key: body.key,
      id,
      organizationId,
      kind: body.kind,
      state: body.state,
    });
  }
  log(`certifying bodies: ${bodies.length}`);

  let accreditations = 0;
  let certificates = 0;
  const curps = new Set<string>();
  const accredited: { standardId: string; bodyIds: string[] }[] = [];
  const accreditedStandards: AccreditedStandard[] = [];
  // Everything random is drawn first, standard by standard in the order it
  // always was (same seed, same fees and people), then the standards are
  // worked a few at a time: each one's mutations stay in order, and the
  // progress record matches answers by content, so concurrency changes
  // nothing a resumed load relies on.
  const plans = published.map((standard, s) => {
    const nominees = Array.from(
      { length: NOMINEES_PER_STANDARD },
      (_, i) => bodies[(s + i) % bodies.length]!,
    );
    accredited.push({
      standardId: standard.id,
      bodyIds: nominees.map((b) => b.id),
    });
    accreditedStandards.push({ ...standard, bodies: nominees });
    const fees = nominees.map(
      () => faker.number.int({ min: 12, max: 45 }) * 10_000,
    );
    const candidates = Array.from(
      { length: CANDIDATES_PER_STANDARD },
      (_, c) => {
        const person = newPerson();
        curps.add(person.curp);
        const competent = faker.number.float() < COMPETENT_SHARE;
        // Within the last five months: certificates need an evaluation under six months old.
        const evaluatedAt = new Date(
          Date.now() - faker.number.int({ min: 1, max: 150 }) * DAY_MS,
        ).toISOString();
        return { c, person, competent, evaluatedAt };
      },
    );
    return { standard, nominees, fees, candidates };
  });

  const worked = await inBatches(
    plans,
    async ({ standard, nominees, fees, candidates }) => {
      for (const body of nominees) {
        // The publication reaches committees' projection through Kafka.
        await whenProjected(
          () =>
            graph(
              ADMIN,
              `mutation ($i: NominateCertifierInput!) { nominateCertifier(input: $i) { id } }`,
              {
                i: {
                  committeeId: standard.committeeId,
                  standardId: standard.id,
                  organizationId: body.organizationId,
                },
              },
            ),
          ['STANDARD_NOT_PUBLISHED'],
        );
      }
      for (const [n, body] of nominees.entries()) {
        const { requestAccreditation } = await whenProjected(
          () =>
            graph(
              ADMIN,
              `mutation ($b: ID!, $s: ID!) { requestAccreditation(certifyingBodyId: $b, standardId: $s) { id } }`,
              { b: body.id, s: standard.id },
            ),
          ['STANDARD_NOT_PUBLISHED'],
        );
        // Nominations reach certification's projection through Kafka.
        await whenProjected(
          () =>
            graph(
              ADMIN,
              `mutation ($id: ID!) { activateAccreditation(id: $id) { id } }`,
              { id: requestAccreditation.id },
            ),
          [
            'STANDARD_NOT_PUBLISHED',
            'BODY_NOT_NOMINATED',
            'INSUFFICIENT_NOMINATIONS',
          ],
        );
        await graph(
          ADMIN,
          `mutation ($b: ID!, $s: ID!, $a: Int!) { setFee(certifyingBodyId: $b, standardId: $s, amountCentavos: $a) { id } }`,
          { b: body.id, s: standard.id, a: fees[n] },
        );
        accreditations += 1;
      }
      const people: LivePerson[] = [];
      for (const { c, person, competent, evaluatedAt } of candidates) {
        // The registry's admin registers the person (and is given their id,
        // which is also what the person signs in with).
        const { registerPerson } = await graph(
          ADMIN,
          `mutation ($i: RegisterPersonInput!) { registerPerson(input: $i) { person { id } } }`,
          { i: person },
        );
        const personId: string = registerPerson.person.id;
        const body = nominees[c % nominees.length]!;
        // Most candidates are enrolled by the body; every fourth was enrolled
        // on paper and an admin registers the candidacy.
        if (c % 4 !== 3)
          await enrolCandidate(graph, body, {
            personId,
            person,
            standardId: standard.id,
          });
        else
          await graph(
            ADMIN,
            `mutation ($i: RegisterCandidacyInput!) { registerCandidacy(input: $i) { id } }`,
            {
              i: {
                certifyingBodyId: body.id,
                personId,
                standardId: standard.id,
              },
            },
          );
        if (
          await evaluateAndCertify(graph, body, {
            personId,
            standardId: standard.id,
            competent,
            evaluatedAt,
            observed:
              'Desempeño observado y productos completos conforme a los criterios',
          })
        )
          certificates += 1;
        people.push({ id: personId, person, standardId: standard.id });
      }
      return people;
    },
    { log, label: 'published standards accredited, with their candidates' },
  );
  const livePeople = worked.flat();
  const personIds = livePeople.map((p) => p.id);
  log(
    `accreditations: ${accreditations}, people: ${personIds.length}, certificates: ${certificates}`,
  );
  const { held: imported, legacy } = await importLegacyCertificates(graph, {
    accredited,
    curps,
    log,
  });
  log(
    `certificates in total: ${certificates + imported} (${certificates} issued live, ${imported} imported)`,
  );
  return {
    bodies: bodies.length,
    accreditations,
    personIds,
    certificates: certificates + imported,
    accreditedStandards,
    livePeople,
    legacy,
  };
}

/** A calendar date `days` before today (UTC), YYYY-MM-DD. */
const daysAgo = (days: number) =>
  new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 10);
const daysSince = (date: string) =>
  Math.floor((Date.now() - Date.parse(`${date}T00:00:00Z`)) / DAY_MS);

/** An index below `length`, drawn as `faker.helpers.arrayElement` draws it. */
const drawIndex = (length: number) =>
  length > 1 ? faker.number.int({ max: length - 1 }) : 0;

/** The `k`-th (from 0) of 0, 1, 2, … that is not in `skipped` (ascending). */
function nthNotIn(k: number, skipped: readonly number[]): number {
  let n = k;
  for (const s of skipped) {
    if (s > n) break;
    n += 1;
  }
  return n;
}

/** Where `value` goes in the ascending `sorted`. */
function sortedIndex(sorted: readonly number[], value: number): number {
  let i = 0;
  while (i < sorted.length && sorted[i]! < value) i += 1;
  return i;
}

/**
 * The legacy registry's history, migrated through `importHistoricalCertificates`
 * (admin, batches of 500): for each published standard, certificates issued by
 * its accredited bodies from its gazette date (or six years ago, if later) to
 * last month — so the older ones verify EXPIRED — to new people with valid
 * CURPs, a few of them already certified for another standard. Returns how
 * many certificates the registry holds (imported now or before).
 */
async function importLegacyCertificates(
  graph: GraphClient,
  {
    accredited,
    curps,
    log,
  }: {
    accredited: { standardId: string; bodyIds: string[] }[];
    curps: Set<string>;
    log: (line: string) => void;
  },
): Promise<{ held: number; legacy: LegacyCertificate[] }> {
  type LegacyPerson = ReturnType<typeof newPerson>;
  const records: {
    folio: string;
    person: LegacyPerson;
    standardId: string;
    certifyingBodyId: string;
    evaluatedOn: string;
    issuedOn: string;
  }[] = [];
  // Everyone certified so far, in the order first certified, and where each
  // stands in that list: a recertified person is drawn from those not yet
  // certified for this standard. (This was a filter over everyone certified
  // for every record drawn: 200,000 × 150,000 steps at scale 100, which kept
  // the loader's event loop busy for minutes. The draws are the same.)
  const certified: LegacyPerson[] = [];
  const positionOf = new Map<LegacyPerson, number>();
  for (const { standardId, bodyIds } of accredited) {
    const { standard } = await graph(
      ADMIN,
      `query ($id: ID!) { standard(id: $id) { code gazette { date } } }`,
      { id: standardId },
    );
    const gazetteDate: string = standard.gazette.date;
    const oldest = Math.min(daysSince(gazetteDate), LEGACY_YEARS * 365);
    if (oldest <= LEGACY_UNTIL_DAYS_AGO) continue;
    // Positions (in `certified`) of the people certified for this standard, ascending.
    const here: number[] = [];
    for (let n = 0; n < LEGACY_PER_STANDARD; n += 1) {
      const issuedDaysAgo = faker.number.int({
        min: LEGACY_UNTIL_DAYS_AGO,
        max: oldest,
      });
      // Evaluated up to two months before the issue, never before the gazette.
      const evaluatedDaysAgo = Math.min(
        issuedDaysAgo + faker.number.int({ min: 3, max: 60 }),
        daysSince(gazetteDate),
      );
      const earlier = certified.length - here.length;
      const person =
        earlier > 0 && faker.number.float() < RECERTIFIED_SHARE
          ? certified[nthNotIn(drawIndex(earlier), here)]!
          : uniquePerson(curps);
      let at = positionOf.get(person);
      if (at === undefined) {
        at = certified.push(person) - 1;
        positionOf.set(person, at);
      }
      here.splice(sortedIndex(here, at), 0, at);
      const issuedOn = daysAgo(issuedDaysAgo);
      records.push({
        folio: `${standard.code}/${issuedOn.slice(0, 4)}/${String(records.length + 1).padStart(6, '0')}`,
        person,
        standardId,
        certifyingBodyId: faker.helpers.arrayElement(bodyIds),
        evaluatedOn: daysAgo(evaluatedDaysAgo),
        issuedOn,
      });
    }
  }
  const legacy: LegacyCertificate[] = [];
  const batches = Math.ceil(records.length / IMPORT_BATCH);
  const source = `RENEC, registro histórico ${daysAgo(LEGACY_YEARS * 365).slice(0, 4)}–${daysAgo(LEGACY_UNTIL_DAYS_AGO).slice(0, 4)} (migración)`;
  let held = 0;
  for (let b = 0; b < batches; b += 1) {
    const batch = records.slice(b * IMPORT_BATCH, (b + 1) * IMPORT_BATCH);
    const { importHistoricalCertificates: result } = await graph(
      ADMIN,
      `mutation ($i: ImportHistoricalCertificatesInput!) { importHistoricalCertificates(input: $i) { imported alreadyImported peopleRegistered records { certificate { holder { id } } } } }`,
      { i: { source, records: batch } },
    );
    held += result.imported + result.alreadyImported;
    // Who holds each (the registry's person id): past cohorts are linked to them.
    batch.forEach((record, n) => {
      const personId: string | undefined =
        result.records[n]?.certificate.holder.id;
      if (personId)
        legacy.push({
          personId,
          standardId: record.standardId,
          certifyingBodyId: record.certifyingBodyId,
          issuedOn: record.issuedOn,
        });
    });
    log(
      `historical import ${b + 1}/${batches}: ${batch.length} records, ${result.imported} certificates imported, ${result.peopleRegistered} people registered`,
    );
  }
  return { held, legacy };
}

/**
 * A new person whose CURP nobody in `curps` has: namesakes born the same day
 * in the same state differ in the homoclave (17th character, a digit for births
 * up to 1999 and a letter from 2000, as RENAPO assigns it), with the check digit
 * recomputed. A name the CURP rules cannot encode validly is drawn again, since
 * one bad CURP would refuse a whole import batch.
 */
function uniquePerson(curps: Set<string>): ReturnType<typeof newPerson> {
  for (;;) {
    const person = newPerson();
    let { curp: code } = person;
    while (curps.has(code)) {
      const homoclave = /\d/.test(code.charAt(16))
        ? String(faker.number.int(9))
        : faker.string.alpha({ casing: 'upper' });
      const first17 = code.slice(0, 16) + homoclave;
      code = first17 + curpCheckDigit(first17);
    }
    if (!isValidCurp(code)) continue;
    curps.add(code);
    return { ...person, curp: code };
  }
}

/** A candidate with a realistic name and the CURP RENAPO's rules give it. */
function newPerson() {
  const sex = faker.helpers.arrayElement(['female', 'male'] as const);
  const givenNames = faker.person.firstName(sex);
  const firstSurname = faker.person.lastName();
  const secondSurname = faker.person.lastName();
  const birth = faker.date.birthdate({
    mode: 'age',
    min: 18,
    max: 60,
    refDate: AGES_AS_OF,
  });
  const stateOfBirth = faker.helpers.arrayElement([
    'MX-JAL',
    'MX-NLE',
    'MX-CMX',
    'MX-QUE',
    'MX-BCN',
  ] as const);
  return {
    curp: generateCurp({
      givenNames,
      firstSurname,
      secondSurname,
      sex: sex === 'female' ? 'M' : 'H',
      birthDate: birth,
      stateOfBirth,
    }),
    givenNames,
    firstSurname,
    secondSurname,
  };
}
