import {
  CERTIFYING_BODIES_CSV_COLUMNS,
  certifyingBodiesCsv,
  certifyingBodiesFiles,
  certifyingBodiesJsonLd,
  openBodies,
  pesos,
} from '../../src/domain/open-data';
import { CETERMS, expandCtdl, parseCsv, CTDL_CONTEXT } from '@conecta/test-kit';
import {
  accreditationMother,
  bodyMother,
  standardMother,
} from '../fixtures/mothers';

const BASE = 'https://conecta.example.gob.mx';

/** Two bodies, one accredited for a published and a withdrawn standard, one for nothing. */
function network() {
  const ec0217 = standardMother.published();
  const withdrawn = standardMother.published({
    code: 'EC0100',
    status: 'WITHDRAWN',
  });
  const udg = bodyMother.university({
    name: 'Universidad de Guadalajara, "campus Centro"',
    facilities: [
      { state: 'MX-JAL', city: 'Guadalajara' },
      { state: 'MX-NLE', city: 'Monterrey' },
      { state: 'MX-JAL', city: 'Zapopan' },
    ],
    fees: [{ standardId: ec0217.id, amountCentavos: 123_405 }],
  });
  const union = bodyMother.university({
    name: 'Sindicato Nacional de Telefonistas',
    kind: 'TRADE_UNION',
  });
  const active = accreditationMother.active({
    certifyingBodyId: udg.id,
    standardId: ec0217.id,
    activatedAt: new Date('2026-02-03T10:00:00.000Z'),
  });
  const accreditations = [
    active,
    accreditationMother.active({
      certifyingBodyId: udg.id,
      standardId: withdrawn.id,
    }),
    accreditationMother.pending({
      certifyingBodyId: union.id,
      standardId: ec0217.id,
    }),
  ];
  return {
    ec0217,
    udg,
    union,
    active,
    bodies: openBodies([union, udg], accreditations, [ec0217, withdrawn]),
  };
}

describe('pesos', () => {
  it('writes centavos as pesos with exactly two decimals, without floating point', () => {
    expect(pesos(123_405)).toBe('1234.05');
    expect(pesos(150_000)).toBe('1500.00');
    expect(pesos(7)).toBe('0.07');
    expect(pesos(900_719_925_474_099)).toBe('9007199254740.99');
    expect(() => pesos(10.5)).toThrow(RangeError);
  });
});

describe('certifying-bodies.csv', () => {
  it('has one row per offer — ACTIVE accreditations of published standards — with the fee in pesos', () => {
    const { bodies, udg, union, ec0217, active } = network();
    const rows = parseCsv(certifyingBodiesCsv(bodies, BASE));
    expect(rows[0]).toEqual([...CERTIFYING_BODIES_CSV_COLUMNS]);
    for (const row of rows) expect(row).toHaveLength(rows[0]!.length);
    const records = rows
      .slice(1)
      .map((r) => Object.fromEntries(r.map((v, i) => [rows[0]![i], v])));
    expect(records).toEqual([
      {
        body_id: union.id,
        body_uri: `${BASE}/id/certifying-bodies/${union.id}`,
        organization_id: union.organizationId,
        body_name: union.name,
        body_kind: 'TRADE_UNION',
        facility_states: 'MX-JAL',
        accreditation_id: '',
        standard_id: '',
        standard_uri: '',
        standard_code: '',
        standard_version: '',
        standard_title: '',
        accredited_since: '',
        fee_mxn: '',
      },
      {
        body_id: udg.id,
        body_uri: `${BASE}/id/certifying-bodies/${udg.id}`,
        organization_id: udg.organizationId,
        body_name: udg.name,
        body_kind: 'UNIVERSITY',
        facility_states: 'MX-JAL;MX-NLE',
        accreditation_id: active.id,
        standard_id: ec0217.id,
        standard_uri: `${BASE}/id/competency-standards/${ec0217.id}`,
        standard_code: 'EC0217',
        standard_version: '1',
        standard_title: ec0217.title,
        accredited_since: '2026-02-03',
        fee_mxn: '1234.05',
      },
    ]);
  });

  it('names no staff member of any body', () => {
    const { bodies, udg } = network();
    const files = certifyingBodiesFiles(bodies, BASE)
      .map((f) => f.body)
      .join('\n');
    for (const member of udg.staff) {
      expect(files).not.toContain(member.name);
      expect(files).not.toContain(member.subject);
    }
  });
});

describe('certifying-bodies.jsonld', () => {
  it('expands as CTDL: organizations offering assessments with their fee as an exact decimal in MXN', async () => {
    const { bodies, udg, union, ec0217, active } = network();
    const document = certifyingBodiesJsonLd(bodies, BASE);
    expect(document).toMatchObject({ '@context': CTDL_CONTEXT });
    const expanded = await expandCtdl(document);
    const byId = new Map(expanded.map((node) => [node['@id'], node]));
    const body = byId.get(`${BASE}/id/certifying-bodies/${udg.id}`)!;
    expect(body['@type']).toEqual([`${CETERMS}CredentialOrganization`]);
    expect(body[`${CETERMS}name`]).toEqual([
      { '@value': udg.name, '@language': 'es' },
    ]);
    const offer = `${BASE}/id/accreditations/${active.id}`;
    expect(body[`${CETERMS}offers`]).toEqual([{ '@id': offer }]);
    expect(body[`${CETERMS}address`]).toHaveLength(3);

    const assessment = byId.get(offer)!;
    expect(assessment['@type']).toEqual([`${CETERMS}AssessmentProfile`]);
    expect(assessment[`${CETERMS}offeredBy`]).toEqual([{ '@id': body['@id'] }]);
    const [condition] = assessment[`${CETERMS}isRequiredFor`] as Record<
      string,
      unknown
    >[];
    expect(condition![`${CETERMS}targetCredential`]).toEqual([
      { '@id': `${BASE}/id/competency-standards/${ec0217.id}` },
    ]);
    const [cost] = assessment[`${CETERMS}estimatedCost`] as Record<
      string,
      unknown
    >[];
    expect(cost!['@type']).toEqual([`${CETERMS}CostProfile`]);
    expect(cost![`${CETERMS}price`]).toEqual([
      {
        '@value': '1234.05',
        '@type': 'http://www.w3.org/2001/XMLSchema#decimal',
      },
    ]);
    expect(cost![`${CETERMS}directCostType`]).toEqual([
      { '@id': 'https://purl.org/ctdl/vocabs/costType/AssessmentCost' },
    ]);

    const unionNode = byId.get(`${BASE}/id/certifying-bodies/${union.id}`)!;
    expect(unionNode[`${CETERMS}offers`]).toBeUndefined();
    expect(expanded).toHaveLength(3);
  });

  it('is the same bytes for the same data in any order', () => {
    const { udg, union, ec0217, active } = network();
    const a = openBodies([udg, union], [active], [ec0217]);
    const b = openBodies([union, udg], [active], [ec0217]);
    expect(certifyingBodiesFiles(a, BASE)).toEqual(
      certifyingBodiesFiles(b, BASE),
    );
  });
});
