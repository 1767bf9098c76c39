/**
 * The page's two languages: labels from these dictionaries, numbers and dates
 * from `Intl` in the locale's format. Spanish (Mexico) is the default.
 */
export const LOCALES = ['es-MX', 'en-US'] as const;
export type Locale = (typeof LOCALES)[number];

const es = {
  lang: 'es',
  title: 'Tablero para universidades',
  subtitle:
    'Hacia dónde va la demanda de la industria: tendencias, brechas de habilidades y resultados del sistema nacional de competencias.',
  language: 'Idioma',
  switchTo: 'English',
  tokenLabel: 'Token de acceso (universidad)',
  tokenApply: 'Usar token',
  tokenHelp:
    'Pegue el token que imprime «npm start», o abra el enlace que incluye #token=…; el token no sale de este navegador salvo hacia /graphql.',
  filters: 'Filtros',
  state: 'Estado',
  allStates: 'Todo el país',
  sector: 'Sector',
  allSectors: 'Todos los sectores',
  fromYear: 'Desde',
  toYear: 'Hasta',
  granularity: 'Periodo',
  YEAR: 'Año',
  QUARTER: 'Trimestre',
  MONTH: 'Mes',
  quarterLabel: (q: number, year: string) => `T${q} ${year}`,
  views: 'Vistas',
  viewDemand: 'Demanda',
  viewGaps: 'Brechas',
  viewOutcomes: 'Resultados',
  viewCertify: 'Dónde certificarse',
  loading: 'Cargando…',
  error: (message: string) => `No se pudieron leer los datos: ${message}`,
  needToken: 'Se necesita un token de acceso para leer el grafo.',
  showData: 'Ver datos',
  downloadCsv: 'Descargar CSV',
  suppressed: 'reservado',
  suppressedNote:
    '«reservado»: valor omitido para proteger grupos pequeños; los totales marcados con * suman solo los periodos mostrados.',
  notRecorded: 'no registrado',
  none: '—',
  yes: 'sí',
  no: 'no',
  // Panels.
  demandTitle: 'Tendencia de la demanda',
  demandDescription:
    'Personas solicitadas para capacitación por las solicitudes de demanda de cada periodo, y su crecimiento.',
  period: 'Periodo',
  requestedHeadcount: 'Personas solicitadas',
  requests: 'Solicitudes',
  growthRate: 'Crecimiento',
  forecast: 'Pronóstico',
  forecastInterval: 'Intervalo de predicción',
  forecastModels: {
    SEASONAL_NAIVE: 'ingenuo estacional (el mismo mes del año anterior)',
    HOLT_WINTERS: 'Holt-Winters aditivo',
  },
  forecastNote: (model: string, smape: string, level: string) =>
    `Pronóstico de los próximos 12 meses (línea punteada; banda: intervalo de predicción del ${level}): modelo ${model}, elegido por su error en pruebas retrospectivas, sMAPE ${smape}.`,
  forecastMonthly:
    'Elija la granularidad «mes» para ver el pronóstico en la gráfica; el CSV lo incluye siempre.',
  noForecast:
    'Sin pronóstico: se necesitan al menos 24 meses de historia desde la primera solicitud.',
  mapTitle: 'Mapa por estado',
  mapDescription:
    'Cada estado coloreado por la demanda (personas solicitadas) o por la brecha (demanda − personas capacitadas en el estado) en el periodo elegido.',
  mapByDemand: 'Demanda',
  mapByGap: 'Brecha',
  colorBy: 'Colorear por',
  demand: 'Demanda',
  trainedInState: 'Capacitadas',
  gap: 'Brecha',
  gapsTitle: 'Ranking de brechas de habilidades',
  gapsDescription:
    'Estándares y certificaciones con más demanda sin cubrir (demanda − oferta), de mayor a menor.',
  rank: 'Lugar',
  target: 'Estándar o certificación',
  supply: 'Oferta',
  supplyTitle: 'Oferta frente a demanda',
  supplyDescription:
    'Personas solicitadas frente a personas capacitadas, certificadas y colocadas en cada periodo (los certificados no registran estado).',
  trained: 'Capacitadas',
  completed: 'Concluyeron',
  certified: 'Certificadas',
  placed: 'Colocadas',
  funnelTitle: 'Embudo de resultados',
  funnelDescription:
    'De la capacitación al empleo en todo el periodo: capacitadas → concluyeron → certificadas → colocadas.',
  stage: 'Etapa',
  people: 'Personas',
  conversion: 'Conversión desde la etapa anterior',
  goalsTitle: 'Metas del programa y su proyección',
  goalsDescription:
    'Avance de cada meta y, al ritmo diario actual, la fecha en que se alcanzaría (línea punteada).',
  goal: 'Meta',
  metric: 'Indicador',
  CERTIFICATIONS: 'Certificaciones',
  TRAINED: 'Personas capacitadas',
  PLACEMENTS: 'Colocaciones',
  goalTarget: 'Objetivo',
  achieved: 'Logrado',
  percentage: 'Avance',
  deadline: 'Fecha límite',
  projectedCompletion: 'Se alcanzaría el',
  onTrack: 'En tiempo',
  percentOfTarget: '% del objetivo',
  progressSoFar: 'Avance',
  projection: 'Proyección',
  salaryTitle: 'Salario antes y después de la colocación',
  salaryDescription:
    'Salario mensual de las personas colocadas en el periodo, en pesos corrientes (nominal) y en pesos constantes (real, deflactado con el INPC). Quienes no tenían salario antes (recién empleadas) se muestran aparte de quienes ya tenían uno: su salario nuevo no es un aumento.',
  salaryGroup: 'Grupo',
  salaryAll: 'Todas: cambio de salario',
  salaryNewly: 'Recién empleadas: salario nuevo',
  salaryPrevious: 'Con salario previo: cambio',
  placements: 'Colocaciones',
  medianNominal: 'Mediana nominal',
  meanNominal: 'Media nominal',
  medianReal: (month: string) => `Mediana real (pesos de ${month})`,
  meanReal: (month: string) => `Media real (pesos de ${month})`,
  nominalMedian: 'Nominal (mediana)',
  realMedian: 'Real (mediana)',
  realRaises: 'Con aumento real',
  realRaiseShare: 'Proporción con aumento real',
  salaryNote: (month: string, carried: boolean) =>
    `Pesos reales de ${month}: deflactados con el Índice Nacional de Precios al Consumidor de INEGI (base 2ª quincena de julio de 2018 = 100); el salario nuevo desde el mes de inicio del empleo, el anterior desde el mes previo. Salvo para administradores, los montos se redondean a 500 pesos y se dan solo sobre 5 o más personas.${carried ? ' Algunos meses son posteriores a la tabla del INPC del servicio: se usó su último valor publicado (cifras provisionales).' : ''}`,
  certifyTitle: 'Dónde certificarse',
  certifyDescription:
    'Estándares publicados y los organismos certificadores acreditados para cada uno (con instalaciones en el estado elegido).',
  standard: 'Estándar',
  certifiers: 'Organismos certificadores',
  certifierCount: 'Organismos',
  states: 'Estados',
  fee: 'Cuota',
  noFee: 'sin publicar',
  mapAttribution:
    'Mapa: @svg-maps/mexico (CC BY 4.0), basado en el mapa de mapsvg.com.',
  stateNames: { 'MX-CMX': 'Ciudad de México' } as Record<string, string>,
};

export type Messages = typeof es;

const en: Messages = {
  lang: 'en',
  title: "Universities' dashboard",
  subtitle:
    "Where industry demand is going: trends, skill gaps and the outcomes of Mexico's national skills system.",
  language: 'Language',
  switchTo: 'Español',
  tokenLabel: 'Access token (university)',
  tokenApply: 'Use token',
  tokenHelp:
    'Paste the token `npm start` prints, or open the link with #token=…; the token leaves this browser only for /graphql.',
  filters: 'Filters',
  state: 'State',
  allStates: 'Whole country',
  sector: 'Sector',
  allSectors: 'All sectors',
  fromYear: 'From',
  toYear: 'To',
  granularity: 'Period',
  YEAR: 'Year',
  QUARTER: 'Quarter',
  MONTH: 'Month',
  quarterLabel: (q: number, year: string) => `Q${q} ${year}`,
  views: 'Views',
  viewDemand: 'Demand',
  viewGaps: 'Gaps',
  viewOutcomes: 'Outcomes',
  viewCertify: 'Where to certify',
  loading: 'Loading…',
  error: (message: string) => `Could not read the data: ${message}`,
  needToken: 'An access token is needed to read the graph.',
  showData: 'Show data',
  downloadCsv: 'Download CSV',
  suppressed: 'withheld',
  suppressedNote:
    '"withheld": a value left out to protect small groups; totals marked * add up only the periods shown.',
  notRecorded: 'not recorded',
  none: '—',
  yes: 'yes',
  no: 'no',
  demandTitle: 'Demand trend',
  demandDescription:
    "People requested for training by each period's demand requests, and their growth.",
  period: 'Period',
  requestedHeadcount: 'People requested',
  requests: 'Requests',
  growthRate: 'Growth',
  forecast: 'Forecast',
  forecastInterval: 'Prediction interval',
  forecastModels: {
    SEASONAL_NAIVE: 'seasonal naive (the same month a year earlier)',
    HOLT_WINTERS: 'additive Holt-Winters',
  },
  forecastNote: (model: string, smape: string, level: string) =>
    `Forecast of the next 12 months (dashed line; band: ${level} prediction interval): ${model} model, chosen by its backtest error, sMAPE ${smape}.`,
  forecastMonthly:
    'Choose the "month" granularity to see the forecast on the chart; the CSV always includes it.',
  noForecast:
    'No forecast: at least 24 months of history from the first request are needed.',
  mapTitle: 'Map by state',
  mapDescription:
    'Each state colored by demand (people requested) or by gap (demand − people trained in the state) over the chosen period.',
  mapByDemand: 'Demand',
  mapByGap: 'Gap',
  colorBy: 'Color by',
  demand: 'Demand',
  trainedInState: 'Trained',
  gap: 'Gap',
  gapsTitle: 'Skill-gap ranking',
  gapsDescription:
    'Standards and credentials with the most unmet demand (demand − supply), largest first.',
  rank: 'Rank',
  target: 'Standard or credential',
  supply: 'Supply',
  supplyTitle: 'Supply against demand',
  supplyDescription:
    'People requested against people trained, certified and placed in each period (certificates record no state).',
  trained: 'Trained',
  completed: 'Completed',
  certified: 'Certified',
  placed: 'Placed',
  funnelTitle: 'Outcomes funnel',
  funnelDescription:
    'From training to a job over the whole period: trained → completed → certified → placed.',
  stage: 'Stage',
  people: 'People',
  conversion: 'Conversion from the previous stage',
  goalsTitle: 'Program goals and their projection',
  goalsDescription:
    'Progress of each goal and, at the current daily rate, the day it would be reached (dashed line).',
  goal: 'Goal',
  metric: 'Metric',
  CERTIFICATIONS: 'Certifications',
  TRAINED: 'People trained',
  PLACEMENTS: 'Placements',
  goalTarget: 'Target',
  achieved: 'Achieved',
  percentage: 'Progress',
  deadline: 'Deadline',
  projectedCompletion: 'Projected to be reached on',
  onTrack: 'On track',
  percentOfTarget: '% of target',
  progressSoFar: 'Progress',
  projection: 'Projection',
  salaryTitle: 'Salary before and after placement',
  salaryDescription:
    "Monthly salary of the people placed in the period, in current pesos (nominal) and in constant pesos (real, deflated by Mexico's INPC). People with no salary before (newly employed) are shown apart from those who had one: their new salary is not a raise.",
  salaryGroup: 'Group',
  salaryAll: 'Everyone: salary change',
  salaryNewly: 'Newly employed: new salary',
  salaryPrevious: 'Had a salary: change',
  placements: 'Placements',
  medianNominal: 'Nominal median',
  meanNominal: 'Nominal mean',
  medianReal: (month: string) => `Real median (pesos of ${month})`,
  meanReal: (month: string) => `Real mean (pesos of ${month})`,
  nominalMedian: 'Nominal (median)',
  realMedian: 'Real (median)',
  realRaises: 'With a real raise',
  realRaiseShare: 'Share with a real raise',
  salaryNote: (month: string, carried: boolean) =>
    `Real pesos of ${month}: deflated by INEGI's National Consumer Price Index (INPC, base 2nd half of July 2018 = 100); the new salary from the month the job started, the previous one from the month before. Except for admins, amounts are rounded to 500 pesos and given only over 5 or more people.${carried ? " Some months come after the service's INPC table: its last published value was used (provisional figures)." : ''}`,
  certifyTitle: 'Where to certify',
  certifyDescription:
    'Published standards and the certifying bodies accredited for each (with facilities in the chosen state).',
  standard: 'Standard',
  certifiers: 'Certifying bodies',
  certifierCount: 'Bodies',
  states: 'States',
  fee: 'Fee',
  noFee: 'not published',
  mapAttribution:
    'Map: @svg-maps/mexico (CC BY 4.0), based on the map by mapsvg.com.',
  stateNames: { 'MX-MEX': 'State of Mexico' },
};

export const MESSAGES: Record<Locale, Messages> = { 'es-MX': es, 'en-US': en };

/** Number, percent, date and money formats of one locale (`Intl`). */
export function formatsFor(locale: Locale) {
  const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const percent = new Intl.NumberFormat(locale, {
    style: 'percent',
    maximumFractionDigits: 1,
  });
  const money = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: 'MXN',
  });
  const wholeMoney = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: 'MXN',
    maximumFractionDigits: 0,
  });
  // Dates from the API are calendar dates (UTC): format them in UTC.
  const date = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeZone: 'UTC',
  });
  const month = new Intl.DateTimeFormat(locale, {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
  return {
    integer: (n: number) => integer.format(n),
    percent: (ratio: number) => percent.format(ratio),
    /** Integer centavos as pesos. */
    money: (centavos: number) => money.format(centavos / 100),
    /** Integer centavos as whole pesos (chart axes). */
    wholeMoney: (centavos: number) => wholeMoney.format(centavos / 100),
    date: (isoDate: string) => date.format(new Date(isoDate)),
    /** A series' period label (YYYY, YYYY-Qn, YYYY-MM) in the locale's words. */
    period: (label: string) => {
      const quarter = /^(\d{4})-Q([1-4])$/.exec(label);
      if (quarter)
        return MESSAGES[locale].quarterLabel(Number(quarter[2]), quarter[1]!);
      if (/^\d{4}-\d{2}$/.test(label))
        return month.format(new Date(`${label}-01T00:00:00Z`));
      return label;
    },
  };
}

export type Formats = ReturnType<typeof formatsFor>;
