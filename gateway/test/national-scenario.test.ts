import { COUNCIL_SEATS } from '@conecta/events';
import { eventually, validCurp } from '@conecta/test-kit';
import { DAY_MS, day } from './support/data';
import {
  accreditedCertifiers,
  appointCouncil,
  draftStandard,
  installedCommittee,
  publishAgenda,
  publishStandard,
  registerOrganization,
  registerSector,
  setStaffMember,
  toCouncilVote,
  tripartiteMembers,
  voteInCouncil,
} from './support/flows';
import {
  sharedTestSystem,
  type Actor,
  type TestSystem,
} from './support/system';

// The national scenario of issue 7, end to end, through the gateway only: every
// subgraph is a real process on real MongoDB and Kafka, every step is a GraphQL
// request a real user would send, and every cross-service fact travels as an event.
let system: TestSystem;

beforeAll(async () => {
  system = await sharedTestSystem('national-scenario');
}, 120_000);

afterAll(async () => {
  await system?.stop();
}, 60_000);

const ADMIN: Actor = { sub: 'conocer-admin', roles: ['admin'] };
const BROKER: Actor = { sub: 'broker-ana', roles: ['broker'] };
const COUNCIL = (seat: number): Actor => ({
  sub: `council-${seat}`,
  roles: ['council'],
});

const send: TestSystem['send'] = (...args) => system.send(...args);
// The program goals are one list for the whole system: this scenario's by name.
const GOAL = `Analistas de datos certificados (${Date.now().toString(36)})`;
const goalOf = (data: { programGoals: { name: string; progress: any }[] }) =>
  data.programGoals.find((g) => g.name === GOAL);
const refusal: TestSystem['refusal'] = (...args) => system.refusal(...args);

describe('the national skills system, end to end through the gateway', () => {
  it('turns industry demand into a standard, training, certificates anyone can verify, jobs and outcomes', async () => {
    // 1. Organizations register in the directory.
    const sector = await registerSector(send, ADMIN, {
      name: 'Procesamiento electrónico de información',
    });
    const org = async (name: string, kind: string, state: string) =>
      (await registerOrganization(send, ADMIN, { name, kind, state })).id;
    const employer = await org(
      'Datos de Occidente S.A. de C.V.',
      'COMPANY',
      'MX-JAL',
    );
    const union = await org(
      'Sindicato Nacional de Trabajadores de la Información',
      'TRADE_UNION',
      'MX-NLE',
    );
    const university = await org(
      'Universidad de Guadalajara',
      'UNIVERSITY',
      'MX-JAL',
    );
    const chamber = await org(
      'Cámara de la Industria Electrónica, Delegación Occidente',
      'CHAMBER',
      'MX-CMX',
    );
    const stateGovernment = await org(
      'Secretaría de Desarrollo Económico de Jalisco',
      'GOVERNMENT_BODY',
      'MX-JAL',
    );
    const cluster = await org(
      'Clúster de Tecnologías de Información de Jalisco',
      'INDUSTRY_CLUSTER',
      'MX-JAL',
    );
    const provider = await org(
      'Capacitación Digital del Pacífico',
      'TRAINING_PROVIDER',
      'MX-JAL',
    );

    // 2. A committee is proposed, members join, a chair is appointed, it is installed.
    const committee = await installedCommittee(send, {
      admin: ADMIN,
      committee: {
        name: 'Comité de Gestión por Competencias de Datos',
        sectorId: sector.id,
        scope: 'NATIONAL',
      },
      members: tripartiteMembers({ employer, union, university }),
      chair: employer,
    });
    expect(committee.status).toBe('INSTALLED');

    // 3. The committee publishes its human-capital agenda first, then drafts a
    // standard for a function on it; it is reviewed, voted and published.
    const member: Actor = {
      sub: 'ceo@datos-occidente',
      roles: ['committee_member'],
      org: employer,
    };
    const agenda = await publishAgenda(send, member, committee.id, [
      {
        kind: 'FUNCTION',
        title: 'Análisis de datos para la toma de decisiones',
        targetYear: new Date().getUTCFullYear() + 1,
      },
    ]);
    const standard = await draftStandard(send, member, {
      committeeId: committee.id,
      sectorId: sector.id,
      agendaItemId: agenda.items[0].id,
      title: 'Análisis de datos para la toma de decisiones',
      purpose:
        'Servir como referente para evaluar y certificar a las personas que analizan datos de una organización para apoyar sus decisiones.',
      level: 3,
      elements: [
        {
          title: 'Preparar los datos para su análisis',
          performanceCriteria: [
            'Verifica la calidad de las fuentes de datos con la lista de control',
            'Documenta las transformaciones aplicadas a los datos',
          ],
          products: ['Conjunto de datos depurado y documentado'],
          knowledge: ['Tipos de datos y sus escalas de medición'],
          attitudes: ['Responsabilidad'],
        },
        {
          title: 'Presentar los hallazgos del análisis',
          performanceCriteria: [
            'Elabora visualizaciones que responden la pregunta de negocio',
            'Explica las limitaciones de los resultados a quien decide',
          ],
          products: ['Reporte de hallazgos'],
          knowledge: ['Principios de visualización de datos'],
          attitudes: ['Cooperación'],
        },
      ],
      validity: { certificateValidityYears: 3, reviewIntervalYears: 5 },
    });
    expect(standard).toMatchObject({
      code: expect.stringMatching(/^EC\d{4}$/),
      status: 'DRAFT',
    });
    await toCouncilVote(send, { author: member, admin: ADMIN }, standard.id);
    // The admin appoints the council; only a seat's holder casts its vote.
    await appointCouncil(send, ADMIN, COUNCIL);
    expect(
      await refusal(
        { sub: 'council-without-seat', roles: ['council'] },
        `mutation ($id: ID!) { castCouncilVote(id: $id, seat: GOVERNMENT_1, vote: AGAINST) { status } }`,
        { id: standard.id },
      ),
    ).toMatchObject({ code: 'FORBIDDEN', reason: 'SEAT_NOT_HELD' });
    await voteInCouncil(send, standard.id, COUNCIL, (i) =>
      i === 5 ? 'AGAINST' : 'IN_FAVOR',
    );
    const published = await publishStandard(send, ADMIN, standard.id, {
      date: day(0),
      reference: `DOF ${day(0)}, Tercera Sección`,
    });
    expect(published.status).toBe('PUBLISHED');
    expect(published.councilTally).toEqual({
      inFavor: COUNCIL_SEATS.length - 1,
      against: 1,
      abstentions: 0,
    });

    // 4. Three certifiers are nominated by the committee and accredited.
    const { bodyIds, activations } = await accreditedCertifiers(send, {
      admin: ADMIN,
      member,
      committeeId: committee.id,
      standardId: standard.id,
      certifiers: [
        {
          organizationId: university,
          kind: 'UNIVERSITY',
          state: 'MX-JAL',
          feeCentavos: 150_000,
        },
        {
          organizationId: chamber,
          kind: 'CHAMBER',
          state: 'MX-CMX',
          feeCentavos: 200_000,
        },
        {
          organizationId: union,
          kind: 'TRADE_UNION',
          state: 'MX-NLE',
          feeCentavos: 250_000,
        },
      ],
    });
    expect(activations).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE']);
    const universityBody = bodyIds[0]!;

    // 5. A state government and a cluster file demand for the new standard.
    const demand = async (requester: string, city: string, headcount: number) =>
      (
        await send(
          { sub: `planner@${requester}`, roles: ['partner'], org: requester },
          `mutation ($i: RequestTrainingInput!) { requestTraining(input: $i) { id status } }`,
          {
            i: {
              state: 'MX-JAL',
              city,
              target: { standardId: standard.id },
              headcount,
              neededBy: day(200),
            },
          },
          ['ORGANIZATION_NOT_FOUND', 'STANDARD_NOT_FOUND'],
        )
      ).requestTraining.id as string;
    const demandIds = [
      await demand(stateGovernment, 'Guadalajara', 40),
      await demand(cluster, 'Zapopan', 25),
    ];

    // 6. The broker negotiates an agreement and gets a project funded.
    const { signAgreement } = await send(
      BROKER,
      `mutation ($i: SignAgreementInput!) { signAgreement(input: $i) { id } }`,
      {
        i: {
          providerId: provider,
          target: { standardId: standard.id },
          discountBps: 6_000,
          extraTrainingHours: 20,
          examVouchersPerParticipant: 1,
          marketPrice: 1_500_000,
          validFrom: day(0),
          validUntil: day(365),
          minCohortSize: 5,
          states: ['MX-JAL'],
          online: true,
        },
      },
      ['ORGANIZATION_NOT_FOUND'],
    );
    const { draftTrainingProject: project } = await send(
      BROKER,
      `mutation ($i: DraftTrainingProjectInput!) { draftTrainingProject(input: $i) { id } }`,
      {
        i: {
          name: 'Analistas de datos para Jalisco',
          fundName: 'Fondo de Formación de Capital Humano',
          agreementId: signAgreement.id,
          demandRequestIds: demandIds,
          requestedFundShareBps: 7_000,
        },
      },
    );
    await send(
      BROKER,
      `mutation ($id: ID!) { submitTrainingProject(id: $id) { id } }`,
      { id: project.id },
    );
    const { approveTrainingProject } = await send(
      ADMIN,
      `mutation ($i: ApproveTrainingProjectInput!) { approveTrainingProject(input: $i) { status } }`,
      { i: { id: project.id, approvedFundShareBps: 6_000 } },
    );
    expect(approveTrainingProject.status).toBe('APPROVED');

    // 7. A cohort is scheduled at the university; people enroll and complete.
    const { scheduleCohort: cohort } = await send(
      BROKER,
      `mutation ($i: ScheduleCohortInput!) { scheduleCohort(input: $i) { id } }`,
      {
        i: {
          agreementId: signAgreement.id,
          projectId: project.id,
          venueId: university,
          state: 'MX-JAL',
          city: 'Guadalajara',
          mode: 'HYBRID',
          startsOn: day(7),
          endsOn: day(60),
          capacity: 10,
        },
      },
    );
    const people: string[] = [];
    const curps: string[] = [];
    const enrollments: string[] = [];
    for (const [i, name] of [
      'Ana',
      'Luis',
      'Sofía',
      'Jorge',
      'Valeria',
      'Diego',
    ].entries()) {
      curps.push(validCurp());
      const { registerPerson } = await send(
        ADMIN,
        `mutation ($i: RegisterPersonInput!) { registerPerson(input: $i) { person { id } } }`,
        {
          i: {
            curp: curps[i],
            givenNames: name,
            firstSurname: 'Hernández',
            secondSurname: 'Ruiz',
            email: `persona${i}@example.mx`,
          },
        },
      );
      people.push(registerPerson.person.id);
      const { enroll } = await send(
        BROKER,
        `mutation ($i: EnrollInput!) { enroll(input: $i) { id } }`,
        { i: { cohortId: cohort.id, personId: registerPerson.person.id } },
        ['PERSON_NOT_FOUND'],
      );
      enrollments.push(enroll.id);
    }
    await send(
      BROKER,
      `mutation ($id: ID!) { startCohort(id: $id) { status } }`,
      { id: cohort.id },
    );
    for (const id of enrollments)
      await send(
        BROKER,
        `mutation ($id: ID!) { completeEnrollment(enrollmentId: $id) { status } }`,
        { id },
      );
    const { completeCohort } = await send(
      BROKER,
      `mutation ($id: ID!) { completeCohort(id: $id) { status } }`,
      { id: cohort.id },
    );
    expect(completeCohort.status).toBe('COMPLETED');

    // 8. Each is evaluated and certified, by different staff of the university.
    const evaluator: Actor = {
      sub: 'evaluadora@udg',
      roles: ['certifier'],
      org: university,
    };
    const certifier: Actor = {
      sub: 'certificador@udg',
      roles: ['certifier'],
      org: university,
    };
    await setStaffMember(send, ADMIN, universityBody, {
      subject: evaluator.sub,
      name: 'Mtra. Laura Gómez',
      roles: ['EVALUATOR', 'CERTIFIER'],
    });
    await setStaffMember(send, ADMIN, universityBody, {
      subject: certifier.sub,
      name: 'Dr. Ramón Ortiz',
      roles: ['CERTIFIER'],
    });
    const certificates: { id: string; verificationCode: string }[] = [];
    for (const [i, personId] of people.entries()) {
      // No evaluation without a candidacy the person accepted (issue 12,
      // finding 4): the body's evaluator registers the CURP (a reference
      // back, not the person) and proposes; the person accepts.
      const { registerPerson: enrolled } = await send(
        evaluator,
        `mutation ($i: RegisterPersonInput!) { registerPerson(input: $i) { reference person { id } } }`,
        {
          i: {
            curp: curps[i],
            givenNames: 'Otra',
            firstSurname: 'Persona',
          },
        },
      );
      expect(enrolled.person).toBeNull();
      const { proposeCandidacy } = await send(
        evaluator,
        `mutation ($i: ProposeCandidacyInput!) { proposeCandidacy(input: $i) { id } }`,
        {
          i: {
            certifyingBodyId: universityBody,
            personReference: enrolled.reference,
            standardId: standard.id,
          },
        },
      );
      await send(
        { sub: personId, roles: ['public'] },
        `mutation ($id: ID!) { acceptCandidacy(id: $id) { status } }`,
        { id: proposeCandidacy.id },
      );
      const { recordEvaluation } = await send(
        evaluator,
        `mutation ($i: RecordEvaluationInput!) { recordEvaluation(input: $i) { id } }`,
        {
          i: {
            certifyingBodyId: universityBody,
            candidateId: personId,
            standardId: standard.id,
            evidenceSummary:
              'Desempeño observado en ambos elementos; productos completos',
            result: 'COMPETENT',
            evaluatedAt: new Date(Date.now() - DAY_MS).toISOString(),
          },
        },
      );
      if (certificates.length === 0)
        // The person who evaluated may not also certify.
        expect(
          await refusal(
            evaluator,
            `mutation ($e: ID!) { issueCertificate(evaluationId: $e) { id } }`,
            { e: recordEvaluation.id },
          ),
        ).toMatchObject({
          code: 'FORBIDDEN',
          reason: 'CERTIFIER_IS_EVALUATOR',
        });
      const { issueCertificate } = await send(
        certifier,
        `mutation ($e: ID!) { issueCertificate(evaluationId: $e) { id verificationCode status } }`,
        { e: recordEvaluation.id },
      );
      expect(issueCertificate.status).toBe('VALID');
      certificates.push(issueCertificate);
    }

    // 9. The certificate verifies publicly, with no personal data, and as a VC.
    const [first] = certificates;
    const publicCheck = await system.post({
      query: `query ($c: String!) { verifyCertificate(code: $c) { status standardCode issuerName holderInitials } }`,
      variables: { c: first!.verificationCode },
    });
    expect(publicCheck.data.verifyCertificate).toEqual({
      status: 'VALID',
      standardCode: standard.code,
      issuerName: 'Universidad de Guadalajara',
      holderInitials: 'A.H.R.',
    });
    expect(JSON.stringify(publicCheck)).not.toMatch(/Hernández|Ana|@example/);
    const { exportCredential } = await send(
      certifier,
      `query ($id: ID!) { exportCredential(certificateId: $id) { jwt } }`,
      { id: first!.id },
    );
    const vc = await system.post({
      query: `query ($jwt: String!) { verifyCredential(jwt: $jwt) { valid signatureValid expired revoked certificateId } }`,
      variables: { jwt: exportCredential.jwt },
    });
    expect(vc.data.verifyCredential).toEqual({
      valid: true,
      signatureValid: true,
      expired: false,
      revoked: false,
      certificateId: first!.id,
    });

    // 10. A placement and an employer survey are recorded.
    const hr: Actor = {
      sub: 'rh@datos-occidente',
      roles: ['partner'],
      org: employer,
    };
    await send(
      hr,
      `mutation ($i: RecordPlacementInput!) { recordPlacement(input: $i) { id } }`,
      {
        i: {
          personId: people[0],
          employerId: employer,
          jobTitle: 'Analista de datos',
          sectorId: sector.id,
          state: 'MX-JAL',
          startDate: day(0),
          salaryBefore: 1_200_000,
          salaryAfter: 1_850_000,
        },
      },
    );
    await send(
      hr,
      `mutation ($i: SubmitEmployerSurveyInput!) { submitEmployerSurvey(input: $i) { id } }`,
      {
        i: {
          employerId: employer,
          cohortId: cohort.id,
          standardId: standard.id,
          ratings: [
            { factor: 'TECHNICAL_SKILL', score: 5 },
            { factor: 'TEAMWORK', score: 4 },
          ],
        },
      },
    );
    await send(
      COUNCIL(0),
      `mutation ($i: SetProgramGoalInput!) { setProgramGoal(input: $i) { id } }`,
      {
        i: {
          name: GOAL,
          metric: 'CERTIFICATIONS',
          target: 12,
          // Certification goals span whole calendar months (outcomes README):
          // from the first day of this month to the last of the 12th.
          startsOn: `${day(0).slice(0, 8)}01`,
          deadline: new Date(
            Date.UTC(
              new Date().getUTCFullYear(),
              new Date().getUTCMonth() + 12,
              0,
            ),
          )
            .toISOString()
            .slice(0, 10),
          sectorId: sector.id,
        },
      },
    );

    // 11. Outcomes reflect all of it (its read models are fed by events).
    // Counted in this scenario's sector: other test files share the services.
    // Analytics answer whole calendar periods only: the years around today.
    const year = new Date().getUTCFullYear();
    const span = {
      from: `${year - 1}-01-01`,
      to: `${year + 1}-12-31`,
      sectorId: sector.id,
    };
    const outcomes = await eventually(
      async () => {
        const { data } = await system.post(
          {
            query: `query ($f: OutcomeFilter!, $jal: OutcomeFilter!) {
              demandTrends(filter: $jal) { requestedHeadcount { value } requests { value } }
              funnel(filter: $f) {
                trained { value } completed { value } certified { value } placed { value }
                certificationRate
              }
              salaryUplift(filter: $f) { placements { value } medianChange }
              programGoals { name progress { achieved { value } percentage } }
            }`,
            variables: {
              f: { ...span, granularity: 'YEAR' },
              jal: { ...span, granularity: 'YEAR', state: 'MX-JAL' },
            },
          },
          ADMIN,
        );
        const settled =
          data?.funnel.certified.value === 6 &&
          data.funnel.placed.value === 1 &&
          data.funnel.completed.value === 6 &&
          goalOf(data)?.progress.achieved.value === 6;
        return settled && data;
      },
      { what: 'outcomes to count the scenario' },
    );
    const headcount = outcomes.demandTrends.reduce(
      (sum: number, p: any) => sum + p.requestedHeadcount.value,
      0,
    );
    expect(headcount).toBe(65);
    expect(outcomes.funnel).toEqual({
      trained: { value: 6 },
      completed: { value: 6 },
      certified: { value: 6 },
      placed: { value: 1 },
      certificationRate: 1,
    });
    expect(outcomes.salaryUplift).toEqual({
      placements: { value: 1 },
      medianChange: 650_000,
    });
    expect(goalOf(outcomes)).toEqual({
      name: GOAL,
      progress: { achieved: { value: 6 }, percentage: 50 },
    });
    // A university sees the same funnel (this year, when it all happened),
    // counts rounded to 5 and never one below the threshold.
    const { data: forUniversity } = await system.post(
      {
        query: `query ($f: OutcomeFilter!) { funnel(filter: $f) { certified { value } placed { value suppressed } } }`,
        variables: {
          f: {
            from: `${year}-01-01`,
            to: `${year}-12-31`,
            granularity: 'YEAR',
            sectorId: sector.id,
          },
        },
      },
      { sub: 'observatorio@udg', roles: ['university'], org: university },
    );
    expect(forUniversity.funnel.certified).toEqual({ value: 5 });
    // …and never learns that one person was placed (withheld or rounded away).
    expect([null, 0]).toContain(forUniversity.funnel.placed.value);
    // Training's indicators count certificates of its trainees (from certification's events).
    const indicators = await eventually(
      async () => {
        const { cohort: read } = await send(
          BROKER,
          `query ($id: ID!) { cohort(id: $id) { indicators { trained completed certified } } }`,
          { id: cohort.id },
        );
        return read.indicators.certified === 6 && read.indicators;
      },
      { what: 'training to count certified trainees' },
    );
    expect(indicators).toEqual({ trained: 6, completed: 6, certified: 6 });

    // 12. One federated query: the standard with its committee (committees),
    // certifying bodies (certification), training offers (training) and usage (outcomes).
    const { data, errors } = await system.post({
      query: `query ($id: ID!) {
        standard(id: $id) {
          code status
          committee { name status }
          certifyingBodies(state: "MX-JAL") { certifyingBody { name kind } feeCentavos }
          trainingOffers { provider { name } discountBps }
          usage { certificatesLast12Months { value } used }
        }
      }`,
      variables: { id: standard.id },
    });
    expect(errors).toBeUndefined();
    expect(data.standard).toEqual({
      code: standard.code,
      status: 'PUBLISHED',
      committee: {
        name: 'Comité de Gestión por Competencias de Datos',
        status: 'INSTALLED',
      },
      certifyingBodies: [
        {
          certifyingBody: {
            name: 'Universidad de Guadalajara',
            kind: 'UNIVERSITY',
          },
          feeCentavos: 150_000,
        },
      ],
      trainingOffers: [
        {
          provider: { name: 'Capacitación Digital del Pacífico' },
          discountBps: 6_000,
        },
      ],
      // Public analytics: 6 certificates shown rounded to a multiple of 5.
      usage: { certificatesLast12Months: { value: 5 }, used: true },
    });
  }, 300_000);
});
