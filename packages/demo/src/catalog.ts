/**
 * The fixed, realistic part of the national demo: SCIAN sectors, the chambers,
 * unions, universities, clusters and government bodies that form committees,
 * and the standards they write. Generated companies are added around it.
 */

export interface SectorSeed {
  code: string;
  name: string;
  kind: 'PRODUCTIVE' | 'SOCIAL' | 'PUBLIC';
}

export const SECTORS: readonly SectorSeed[] = [
  {
    code: '5415',
    name: 'Servicios de diseño de sistemas de cómputo y servicios relacionados',
    kind: 'PRODUCTIVE',
  },
  {
    code: '3361',
    name: 'Fabricación de automóviles y camiones',
    kind: 'PRODUCTIVE',
  },
  {
    code: '3344',
    name: 'Fabricación de componentes electrónicos',
    kind: 'PRODUCTIVE',
  },
  {
    code: '3364',
    name: 'Fabricación de equipo aeroespacial',
    kind: 'PRODUCTIVE',
  },
  { code: '7211', name: 'Hoteles, moteles y similares', kind: 'PRODUCTIVE' },
  {
    code: '6241',
    name: 'Servicios de orientación y trabajo social',
    kind: 'SOCIAL',
  },
  { code: '9312', name: 'Administración pública en general', kind: 'PUBLIC' },
];

export type OrganizationKind =
  | 'COMPANY'
  | 'TRADE_UNION'
  | 'CHAMBER'
  | 'UNIVERSITY'
  | 'VOCATIONAL_SCHOOL'
  | 'TRAINING_PROVIDER'
  | 'GOVERNMENT_BODY'
  | 'INDUSTRY_CLUSTER'
  | 'SOCIAL_ORGANIZATION';

export interface OrganizationSeed {
  /** Key used by the committee plans below. */
  key: string;
  name: string;
  kind: OrganizationKind;
  state: string;
}

export const ORGANIZATIONS: readonly OrganizationSeed[] = [
  {
    key: 'canieti',
    name: 'Cámara Nacional de la Industria Electrónica, de Telecomunicaciones y Tecnologías de la Información',
    kind: 'CHAMBER',
    state: 'MX-CMX',
  },
  {
    key: 'canacintra',
    name: 'Cámara Nacional de la Industria de Transformación',
    kind: 'CHAMBER',
    state: 'MX-CMX',
  },
  {
    key: 'coparmex-jal',
    name: 'Confederación Patronal de la República Mexicana, Jalisco',
    kind: 'CHAMBER',
    state: 'MX-JAL',
  },
  {
    key: 'canirac',
    name: 'Cámara Nacional de la Industria de Restaurantes y Alimentos Condimentados',
    kind: 'CHAMBER',
    state: 'MX-ROO',
  },
  {
    key: 'ctm',
    name: 'Confederación de Trabajadores de México',
    kind: 'TRADE_UNION',
    state: 'MX-CMX',
  },
  {
    key: 'sindicato-automotriz',
    name: 'Sindicato Nacional de Trabajadores de la Industria Automotriz',
    kind: 'TRADE_UNION',
    state: 'MX-PUE',
  },
  {
    key: 'sindicato-hotelero',
    name: 'Sindicato de Trabajadores de la Industria Hotelera del Caribe',
    kind: 'TRADE_UNION',
    state: 'MX-ROO',
  },
  {
    key: 'unam',
    name: 'Universidad Nacional Autónoma de México',
    kind: 'UNIVERSITY',
    state: 'MX-CMX',
  },
  {
    key: 'udg',
    name: 'Universidad de Guadalajara',
    kind: 'UNIVERSITY',
    state: 'MX-JAL',
  },
  {
    key: 'uanl',
    name: 'Universidad Autónoma de Nuevo León',
    kind: 'UNIVERSITY',
    state: 'MX-NLE',
  },
  {
    key: 'uabc',
    name: 'Universidad Autónoma de Baja California',
    kind: 'UNIVERSITY',
    state: 'MX-BCN',
  },
  {
    key: 'uaq',
    name: 'Universidad Autónoma de Querétaro',
    kind: 'UNIVERSITY',
    state: 'MX-QUE',
  },
  {
    key: 'conalep',
    name: 'Colegio Nacional de Educación Profesional Técnica',
    kind: 'VOCATIONAL_SCHOOL',
    state: 'MX-MEX',
  },
  {
    key: 'ijalti',
    name: 'Instituto Jalisciense de Tecnologías de la Información',
    kind: 'INDUSTRY_CLUSTER',
    state: 'MX-JAL',
  },
  {
    key: 'csoftmty',
    name: 'Consejo de Software de Nuevo León',
    kind: 'INDUSTRY_CLUSTER',
    state: 'MX-NLE',
  },
  {
    key: 'cluster-tic-bc',
    name: 'Clúster de Tecnologías de Información y Comunicación de Baja California',
    kind: 'INDUSTRY_CLUSTER',
    state: 'MX-BCN',
  },
  {
    key: 'cluster-automotriz-nl',
    name: 'Clúster Automotriz de Nuevo León',
    kind: 'INDUSTRY_CLUSTER',
    state: 'MX-NLE',
  },
  {
    key: 'aerocluster-qro',
    name: 'Aeroclúster de Querétaro',
    kind: 'INDUSTRY_CLUSTER',
    state: 'MX-QUE',
  },
  {
    key: 'se',
    name: 'Secretaría de Economía',
    kind: 'GOVERNMENT_BODY',
    state: 'MX-CMX',
  },
  {
    key: 'gob-jal',
    name: 'Gobierno del Estado de Jalisco',
    kind: 'GOVERNMENT_BODY',
    state: 'MX-JAL',
  },
  {
    key: 'gob-nl',
    name: 'Gobierno del Estado de Nuevo León',
    kind: 'GOVERNMENT_BODY',
    state: 'MX-NLE',
  },
  {
    key: 'dif',
    name: 'Sistema Nacional para el Desarrollo Integral de la Familia',
    kind: 'GOVERNMENT_BODY',
    state: 'MX-CMX',
  },
  {
    key: 'cemefi',
    name: 'Centro Mexicano para la Filantropía',
    kind: 'SOCIAL_ORGANIZATION',
    state: 'MX-CMX',
  },
];

export type Side = 'EMPLOYER' | 'LABOR' | 'EDUCATION' | 'GOVERNMENT' | 'SOCIAL';
export type DecisionMakerRole =
  | 'CHIEF_EXECUTIVE'
  | 'BOARD_PRESIDENT'
  | 'UNION_GENERAL_SECRETARY'
  | 'RECTOR'
  | 'CHAMBER_PRESIDENT'
  | 'GOVERNMENT_SECRETARY'
  | 'EXECUTIVE_DIRECTOR';

/** A seat on a committee: an organization by key (or the n-th generated company of the sector). */
export interface MemberSeed {
  organization: string;
  side: Side;
  positionTitle: string;
  role: DecisionMakerRole;
}

/** What becomes of a committee in the demo. */
export type CommitteeOutcome = 'INSTALLED' | 'PROPOSED' | 'DISSOLVED';

export interface CommitteeSeed {
  name: string;
  sector: string;
  scope: 'NATIONAL' | 'REGIONAL';
  states?: string[];
  members: MemberSeed[];
  outcome: CommitteeOutcome;
  /** Standards this committee writes (titles); each is driven to a lifecycle state. */
  standards: string[];
}

const employer = (
  organization: string,
  positionTitle = 'Presidente',
): MemberSeed => ({
  organization,
  side: 'EMPLOYER',
  positionTitle,
  role: 'CHAMBER_PRESIDENT',
});
const company = (organization: string): MemberSeed => ({
  organization,
  side: 'EMPLOYER',
  positionTitle: 'Director General',
  role: 'CHIEF_EXECUTIVE',
});
const union = (organization: string): MemberSeed => ({
  organization,
  side: 'LABOR',
  positionTitle: 'Secretario General',
  role: 'UNION_GENERAL_SECRETARY',
});
const university = (organization: string): MemberSeed => ({
  organization,
  side: 'EDUCATION',
  positionTitle: 'Rector',
  role: 'RECTOR',
});
const government = (organization: string): MemberSeed => ({
  organization,
  side: 'GOVERNMENT',
  positionTitle: 'Secretario de Desarrollo Económico',
  role: 'GOVERNMENT_SECRETARY',
});

/** `company:<sector>:<n>` refers to the n-th generated company of a sector. */
export const generatedCompany = (sector: string, n: number) =>
  `company:${sector}:${n}`;

export const COMMITTEES: readonly CommitteeSeed[] = [
  {
    name: 'Comité de Gestión por Competencias de Tecnologías de la Información',
    sector: '5415',
    scope: 'NATIONAL',
    members: [
      employer('canieti'),
      company(generatedCompany('5415', 0)),
      union('ctm'),
      university('unam'),
      government('se'),
    ],
    outcome: 'INSTALLED',
    standards: [
      'Desarrollo de aplicaciones web',
      'Administración de servidores en la nube',
      'Pruebas de software',
      'Soporte técnico a usuarios de tecnologías de la información',
      'Desarrollo de aplicaciones móviles',
      'Gestión de proyectos de software',
    ],
  },
  {
    name: 'Comité Regional de Software del Occidente y Norte',
    sector: '5415',
    scope: 'REGIONAL',
    states: ['MX-JAL', 'MX-NLE', 'MX-BCN'],
    members: [
      employer('ijalti', 'Director General'),
      employer('csoftmty', 'Director General'),
      union('ctm'),
      university('udg'),
      government('gob-jal'),
    ],
    outcome: 'INSTALLED',
    standards: [
      'Análisis de datos para la toma de decisiones',
      'Ciberseguridad operativa en redes empresariales',
      'Integración continua y entrega de software',
    ],
  },
  {
    name: 'Comité de Gestión por Competencias de la Industria Automotriz',
    sector: '3361',
    scope: 'NATIONAL',
    members: [
      employer('cluster-automotriz-nl', 'Director General'),
      company(generatedCompany('3361', 0)),
      union('sindicato-automotriz'),
      university('uanl'),
      government('gob-nl'),
    ],
    outcome: 'INSTALLED',
    standards: [
      'Ensamble de arneses automotrices',
      'Operación de celdas de soldadura robotizada',
      'Inspección de calidad en líneas de ensamble automotriz',
      'Mantenimiento de sistemas de pintura automotriz',
    ],
  },
  {
    name: 'Comité de Gestión por Competencias de Manufactura Electrónica',
    sector: '3344',
    scope: 'REGIONAL',
    states: ['MX-JAL', 'MX-BCN', 'MX-CHH'],
    members: [
      employer('canieti'),
      company(generatedCompany('3344', 0)),
      union('ctm'),
      university('uabc'),
      government('se'),
    ],
    outcome: 'INSTALLED',
    standards: [
      'Soldadura de componentes electrónicos de montaje superficial',
      'Operación de equipo de inserción automática',
      'Inspección óptica de tarjetas electrónicas',
    ],
  },
  {
    name: 'Comité de Gestión por Competencias de la Industria Aeroespacial',
    sector: '3364',
    scope: 'REGIONAL',
    states: ['MX-QUE', 'MX-BCN', 'MX-SON', 'MX-CHH'],
    members: [
      employer('aerocluster-qro', 'Director General'),
      company(generatedCompany('3364', 0)),
      union('ctm'),
      university('uaq'),
      government('se'),
    ],
    outcome: 'INSTALLED',
    standards: [
      'Inspección de componentes aeroespaciales',
      'Ensamble de estructuras aeronáuticas',
      'Maquinado de precisión para partes aeronáuticas',
    ],
  },
  {
    name: 'Comité de Gestión por Competencias de Turismo y Hotelería',
    sector: '7211',
    scope: 'NATIONAL',
    members: [
      employer('canirac'),
      company(generatedCompany('7211', 0)),
      union('sindicato-hotelero'),
      university('udg'),
      government('se'),
    ],
    outcome: 'INSTALLED',
    standards: [
      'Atención a huéspedes en recepción hotelera',
      'Preparación de alimentos en cocina de hotel',
      'Limpieza y arreglo de habitaciones',
    ],
  },
  {
    name: 'Comité de Gestión por Competencias de Asistencia Social',
    sector: '6241',
    scope: 'NATIONAL',
    members: [
      {
        organization: 'cemefi',
        side: 'SOCIAL',
        positionTitle: 'Presidente Ejecutivo',
        role: 'EXECUTIVE_DIRECTOR',
      },
      company(generatedCompany('6241', 0)),
      university('unam'),
      government('dif'),
    ],
    outcome: 'INSTALLED',
    standards: [
      'Cuidado de personas adultas mayores en casa de día',
      'Atención a niñas y niños en centros de asistencia social',
    ],
  },
  {
    // Proposed, not installable yet: no chair appointed.
    name: 'Comité de Gestión por Competencias de la Función Pública',
    sector: '9312',
    scope: 'NATIONAL',
    members: [government('se'), university('unam'), union('ctm')],
    outcome: 'PROPOSED',
    standards: [],
  },
  {
    // A competing view in the same sector, later dissolved: both stay visible.
    name: 'Comité de Manufactura Electrónica del Bajío',
    sector: '3344',
    scope: 'REGIONAL',
    states: ['MX-GUA', 'MX-QUE'],
    members: [
      employer('canacintra'),
      company(generatedCompany('3344', 1)),
      union('ctm'),
      university('uaq'),
    ],
    outcome: 'DISSOLVED',
    standards: [],
  },
];

/** Lifecycle states the demo drives standards to, in rotation (every state appears). */
export const STANDARD_TARGETS = [
  'PUBLISHED',
  'DRAFT',
  'PUBLISHED',
  'SUBMITTED',
  'IN_REVIEW',
  'RETURNED',
  'IN_COUNCIL_VOTE',
  'PUBLISHED',
  'APPROVED',
  'REJECTED',
  'WITHDRAWN',
  'SUPERSEDED',
] as const;

export type StandardTarget = (typeof STANDARD_TARGETS)[number];
