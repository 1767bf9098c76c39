import './style.css';
import { createGraphClient, GraphError } from './api';
import { downloadCsv } from './csv';
import {
  certifyContent,
  demandContent,
  funnelContent,
  gapsContent,
  goalsContent,
  mapContent,
  salaryContent,
  supplyContent,
  type Locale as PanelLocale,
  type StateTotals,
} from './content';
import { formatsFor, LOCALES, MESSAGES, type Locale } from './i18n';
import { MAP_STATE_NAMES, registerMexicoMap, STATE_CODES } from './mexico-map';
import { Panel, type PanelContent } from './panel';
import type {
  CertifierStandard,
  FilterOptionsData,
  Granularity,
  OutcomeFilter,
  OverviewData,
  ProgramGoal,
  SalaryUplift,
} from './queries';

// Years the period filter offers, ending with the current one.
const YEARS_OFFERED = 10;
// The default span: six whole years, as the start banner's university example.
const DEFAULT_YEARS = 6;
const GRANULARITIES: readonly Granularity[] = ['YEAR', 'QUARTER', 'MONTH'];

type ViewId = 'demand' | 'gaps' | 'outcomes' | 'certify';
const VIEWS: readonly { id: ViewId; panels: string[] }[] = [
  { id: 'demand', panels: ['demand', 'map'] },
  { id: 'gaps', panels: ['gaps', 'supply'] },
  { id: 'outcomes', panels: ['funnel', 'salary', 'goals'] },
  { id: 'certify', panels: ['certify'] },
];

interface Data {
  overview: OverviewData;
  states: StateTotals[];
  goals: ProgramGoal[];
  certifiers: CertifierStandard[];
  salary: SalaryUplift;
}

const $ = <T extends HTMLElement>(id: string) =>
  document.getElementById(id) as T;

/**
 * The bearer token: from the URL fragment (`#token=…`, which browsers never
 * send to a server) or the field. Kept in memory only; the fragment is
 * removed from the address bar once read.
 */
function tokenFromFragment(): string {
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
  if (token)
    history.replaceState(null, '', `${location.pathname}${location.search}`);
  return token;
}

function main(): void {
  registerMexicoMap();
  const thisYear = new Date().getUTCFullYear();
  const state = {
    locale: 'es-MX' as Locale,
    token: tokenFromFragment(),
    view: 'demand' as ViewId,
    mapBy: 'demand' as 'demand' | 'gap',
    filterOptions: { sectors: [] } as FilterOptionsData,
    data: undefined as Data | undefined,
    // Answers to an older filter are dropped.
    generation: 0,
  };
  const graph = createGraphClient(
    new URL('../graphql', document.baseURI).href,
    () => state.token,
    () => state.locale,
  );
  const locale = (): PanelLocale => ({
    t: MESSAGES[state.locale],
    f: formatsFor(state.locale),
  });
  const stateName = (code: string) =>
    MESSAGES[state.locale].stateNames[code] ??
    MAP_STATE_NAMES.get(code) ??
    code;

  // Panels, grouped into views (tabs).
  const onCsv = (panel: Panel) => (content: PanelContent) => {
    const f = currentFilter();
    downloadCsv(
      `conecta-${panel.id}-${f.from.slice(0, 4)}-${f.to.slice(0, 4)}.csv`,
      content.csv,
    );
  };
  const panels = new Map<string, Panel>();
  for (const id of [
    'demand',
    'map',
    'gaps',
    'supply',
    'funnel',
    'salary',
    'goals',
    'certify',
  ]) {
    const panel: Panel = new Panel(id, (content) => onCsv(panel)(content));
    panels.set(id, panel);
  }
  const mapToggle = document.createElement('fieldset');
  mapToggle.className = 'toggle';
  const mapLegend = document.createElement('legend');
  mapToggle.append(mapLegend);
  const mapOptions = (['demand', 'gap'] as const).map((by) => {
    const input = document.createElement('input');
    input.type = 'radio';
    input.name = 'map-by';
    input.value = by;
    input.id = `map-by-${by}`;
    input.checked = by === state.mapBy;
    input.addEventListener('change', () => {
      state.mapBy = by;
      render();
    });
    const label = document.createElement('label');
    label.htmlFor = input.id;
    mapToggle.append(input, label);
    return { by, label };
  });
  panels.get('map')!.controls.append(mapToggle);

  const tabs = $('tabs');
  const views = $('views');
  const tabButtons = new Map<ViewId, HTMLButtonElement>();
  const viewElements = new Map<ViewId, HTMLElement>();
  for (const view of VIEWS) {
    const tab = document.createElement('button');
    tab.type = 'button';
    tab.id = `tab-${view.id}`;
    tab.setAttribute('role', 'tab');
    tab.setAttribute('aria-controls', `view-${view.id}`);
    tab.addEventListener('click', () => showView(view.id));
    tabs.append(tab);
    tabButtons.set(view.id, tab);
    const element = document.createElement('div');
    element.id = `view-${view.id}`;
    element.className = 'view';
    element.setAttribute('role', 'tabpanel');
    element.setAttribute('aria-labelledby', tab.id);
    element.dataset['view'] = view.id;
    for (const id of view.panels) element.append(panels.get(id)!.element);
    views.append(element);
    viewElements.set(view.id, element);
  }

  function showView(id: ViewId): void {
    state.view = id;
    for (const [view, tab] of tabButtons) {
      const active = view === id;
      tab.setAttribute('aria-selected', String(active));
      tab.tabIndex = active ? 0 : -1;
      viewElements.get(view)!.hidden = !active;
    }
    document.body.dataset['view'] = id;
    for (const view of VIEWS.find((v) => v.id === id)!.panels)
      panels.get(view)!.draw();
  }
  // Arrow keys move between tabs (WAI-ARIA tabs pattern).
  tabs.addEventListener('keydown', (event) => {
    const index = VIEWS.findIndex((v) => v.id === state.view);
    const step =
      event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    const next = VIEWS[(index + step + VIEWS.length) % VIEWS.length]!.id;
    showView(next);
    tabButtons.get(next)!.focus();
  });
  window.addEventListener('resize', () => {
    for (const panel of panels.values()) panel.draw();
  });

  // Filters.
  const stateSelect = $<HTMLSelectElement>('state');
  const sectorSelect = $<HTMLSelectElement>('sector');
  const fromSelect = $<HTMLSelectElement>('from');
  const toSelect = $<HTMLSelectElement>('to');
  const granularitySelect = $<HTMLSelectElement>('granularity');
  for (let year = thisYear - YEARS_OFFERED + 1; year <= thisYear; year++) {
    fromSelect.add(new Option(String(year), String(year)));
    toSelect.add(new Option(String(year), String(year)));
  }
  fromSelect.value = String(thisYear - DEFAULT_YEARS + 1);
  toSelect.value = String(thisYear);

  function currentFilter(): OutcomeFilter {
    const years = [Number(fromSelect.value), Number(toSelect.value)].sort(
      (a, b) => a - b,
    );
    return {
      // Whole years: aligned to every granularity.
      from: `${years[0]}-01-01`,
      to: `${years[1]}-12-31`,
      granularity: (granularitySelect.value || 'YEAR') as Granularity,
      ...(stateSelect.value ? { state: stateSelect.value } : {}),
      ...(sectorSelect.value ? { sectorId: sectorSelect.value } : {}),
    };
  }

  function fillSelect(
    select: HTMLSelectElement,
    options: { value: string; label: string }[],
  ): void {
    const selected = select.value;
    select.replaceChildren(...options.map((o) => new Option(o.label, o.value)));
    if (options.some((o) => o.value === selected)) select.value = selected;
  }

  function label(): void {
    const t = MESSAGES[state.locale];
    document.documentElement.lang = t.lang;
    document.title = `Conecta — ${t.title}`;
    $('title').textContent = t.title;
    $('subtitle').textContent = t.subtitle;
    const language = $('language');
    language.textContent = t.switchTo;
    // The button's own words are in the other language.
    language.lang = t.lang === 'es' ? 'en' : 'es';
    $('token-label').textContent = t.tokenLabel;
    $('token-apply').textContent = t.tokenApply;
    $('token-help').textContent = t.tokenHelp;
    $('filters-title').textContent = t.filters;
    $('state-label').textContent = t.state;
    $('sector-label').textContent = t.sector;
    $('from-label').textContent = t.fromYear;
    $('to-label').textContent = t.toYear;
    $('granularity-label').textContent = t.granularity;
    $('views-nav').setAttribute('aria-label', t.views);
    fillSelect(stateSelect, [
      { value: '', label: t.allStates },
      ...[...STATE_CODES]
        .map((code) => ({ value: code, label: stateName(code) }))
        .sort((a, b) => a.label.localeCompare(b.label, state.locale)),
    ]);
    fillSelect(sectorSelect, [
      { value: '', label: t.allSectors },
      ...state.filterOptions.sectors.map((s) => ({
        value: s.id,
        label: `${s.code} — ${s.name}`,
      })),
    ]);
    fillSelect(
      granularitySelect,
      GRANULARITIES.map((g) => ({ value: g, label: t[g] })),
    );
    const viewNames: Record<ViewId, string> = {
      demand: t.viewDemand,
      gaps: t.viewGaps,
      outcomes: t.viewOutcomes,
      certify: t.viewCertify,
    };
    for (const [id, tab] of tabButtons) tab.textContent = viewNames[id];
    const texts = (title: string, description: string) => ({
      title,
      description,
      showData: t.showData,
      downloadCsv: t.downloadCsv,
    });
    panels.get('demand')!.label(texts(t.demandTitle, t.demandDescription));
    panels.get('map')!.label(texts(t.mapTitle, t.mapDescription));
    panels.get('gaps')!.label(texts(t.gapsTitle, t.gapsDescription));
    panels.get('supply')!.label(texts(t.supplyTitle, t.supplyDescription));
    panels.get('funnel')!.label(texts(t.funnelTitle, t.funnelDescription));
    panels.get('salary')!.label(texts(t.salaryTitle, t.salaryDescription));
    panels.get('goals')!.label(texts(t.goalsTitle, t.goalsDescription));
    panels.get('certify')!.label(texts(t.certifyTitle, t.certifyDescription));
    mapLegend.textContent = t.colorBy;
    for (const { by, label: l } of mapOptions)
      l.textContent = by === 'demand' ? t.mapByDemand : t.mapByGap;
  }

  function render(): void {
    const data = state.data;
    if (!data) return;
    const l = locale();
    const filter = currentFilter();
    const { overview } = data;
    const states = data.states.map((s) => ({ ...s, name: stateName(s.code) }));
    panels
      .get('demand')!
      .show(demandContent(l, overview.demandTrends, overview.demandForecast));
    panels.get('map')!.show(mapContent(l, states, state.mapBy));
    panels.get('gaps')!.show(gapsContent(l, overview.skillGaps));
    panels
      .get('supply')!
      .show(supplyContent(l, overview.demandTrends, overview.supply));
    panels.get('funnel')!.show(funnelContent(l, overview.funnel));
    panels.get('salary')!.show(salaryContent(l, data.salary));
    panels.get('goals')!.show(
      goalsContent(
        l,
        // A goal of another state or sector is not the filter's.
        data.goals.filter(
          (g) =>
            (!filter.state || !g.state || g.state === filter.state) &&
            (!filter.sectorId || !g.sectorId || g.sectorId === filter.sectorId),
        ),
      ),
    );
    panels.get('certify')!.show(certifyContent(l, data.certifiers, stateName));
  }

  function status(kind: 'loading' | 'ready' | 'error', text: string): void {
    document.body.dataset['state'] = kind;
    const element = $('status');
    element.textContent = text;
    element.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  }

  async function load(): Promise<void> {
    const generation = ++state.generation;
    const t = MESSAGES[state.locale];
    status('loading', t.loading);
    const filter = currentFilter();
    try {
      if (state.filterOptions.sectors.length === 0) {
        state.filterOptions = await graph.filterOptions();
        label();
      }
      const [overview, totals, goals, certifiers, salary] = await Promise.all([
        graph.overview(filter),
        graph.stateTotals(filter, STATE_CODES),
        graph.goals(),
        graph.certifiers(filter),
        graph.salary(filter),
      ]);
      if (generation !== state.generation) return;
      state.data = {
        overview,
        states: STATE_CODES.map((code) => ({
          code,
          name: code,
          ...totals.get(code)!,
        })),
        goals: goals.programGoals,
        certifiers,
        salary: salary.salaryUplift,
      };
      render();
      status('ready', '');
    } catch (error) {
      if (generation !== state.generation) return;
      const message =
        error instanceof GraphError && error.code === 'UNAUTHENTICATED'
          ? `${error.message}. ${MESSAGES[state.locale].needToken}`
          : error instanceof Error
            ? error.message
            : String(error);
      status('error', MESSAGES[state.locale].error(message));
    }
  }

  $('language').addEventListener('click', () => {
    const next = LOCALES[(LOCALES.indexOf(state.locale) + 1) % LOCALES.length]!;
    state.locale = next;
    label();
    render();
    if (document.body.dataset['state'] === 'loading')
      $('status').textContent = MESSAGES[next].loading;
    // A refusal shown in the other language is asked again in this one.
    if (document.body.dataset['state'] === 'error') void load();
  });
  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = $<HTMLInputElement>('token');
    state.token = input.value.trim();
    input.value = '';
    void load();
  });
  $('filters').addEventListener('change', () => void load());

  label();
  showView(state.view);
  void load();
}

main();
