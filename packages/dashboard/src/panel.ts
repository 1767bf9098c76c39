import { init, type EChartsType } from 'echarts/core';
import type { CsvTable } from './csv';
import type { ChartOption } from './echarts';

/** What a panel shows: a chart, the same data as a table, and its CSV. */
export interface PanelContent {
  option: ChartOption;
  table: { head: string[]; rows: string[][] };
  csv: CsvTable;
  /** Said under the chart (suppression, missing data). */
  note?: string;
}

/**
 * One chart of the page: heading, description, the ECharts chart, its data
 * as an accessible table (also what the browser test reads) and a CSV button.
 */
export class Panel {
  readonly element: HTMLElement;
  private readonly heading: HTMLHeadingElement;
  private readonly description: HTMLParagraphElement;
  private readonly chartBox: HTMLDivElement;
  private readonly summary: HTMLElement;
  private readonly table: HTMLTableElement;
  private readonly note: HTMLParagraphElement;
  readonly csvButton: HTMLButtonElement;
  readonly controls: HTMLDivElement;
  private chart: EChartsType | undefined;
  private content: PanelContent | undefined;

  constructor(
    readonly id: string,
    onCsv: (content: PanelContent) => void,
  ) {
    this.element = document.createElement('section');
    this.element.className = 'panel';
    this.element.dataset['chart'] = id;
    this.element.setAttribute('aria-labelledby', `${id}-title`);
    const header = document.createElement('header');
    this.heading = document.createElement('h2');
    this.heading.id = `${id}-title`;
    this.csvButton = document.createElement('button');
    this.csvButton.type = 'button';
    this.csvButton.className = 'csv';
    this.csvButton.disabled = true;
    this.csvButton.addEventListener('click', () => {
      if (this.content) onCsv(this.content);
    });
    header.append(this.heading, this.csvButton);
    this.description = document.createElement('p');
    this.description.className = 'description';
    this.controls = document.createElement('div');
    this.controls.className = 'controls';
    this.chartBox = document.createElement('div');
    this.chartBox.className = 'chart';
    this.chartBox.setAttribute('role', 'img');
    const details = document.createElement('details');
    this.summary = document.createElement('summary');
    const wrap = document.createElement('div');
    wrap.className = 'table-wrap';
    this.table = document.createElement('table');
    wrap.append(this.table);
    details.append(this.summary, wrap);
    this.note = document.createElement('p');
    this.note.className = 'note';
    this.element.append(
      header,
      this.description,
      this.controls,
      this.chartBox,
      this.note,
      details,
    );
  }

  /** The panel's words in the current language. */
  label(texts: {
    title: string;
    description: string;
    showData: string;
    downloadCsv: string;
  }): void {
    this.heading.textContent = texts.title;
    this.description.textContent = texts.description;
    this.summary.textContent = texts.showData;
    this.csvButton.textContent = texts.downloadCsv;
    this.csvButton.setAttribute(
      'aria-label',
      `${texts.downloadCsv}: ${texts.title}`,
    );
    this.chartBox.setAttribute(
      'aria-label',
      `${texts.title}. ${texts.showData}.`,
    );
  }

  /** Shows new data: the table at once, the chart when the panel is visible. */
  show(content: PanelContent): void {
    this.content = content;
    this.csvButton.disabled = false;
    this.note.textContent = content.note ?? '';
    const head = document.createElement('thead');
    const headRow = head.insertRow();
    for (const cell of content.table.head) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = cell;
      headRow.append(th);
    }
    const body = document.createElement('tbody');
    for (const row of content.table.rows) {
      const tr = body.insertRow();
      for (const cell of row) tr.insertCell().textContent = cell;
    }
    this.table.replaceChildren(head, body);
    this.draw();
  }

  /** Draws (or redraws at the current size) the chart, if the panel is visible. */
  draw(): void {
    if (!this.content || this.chartBox.offsetWidth === 0) return;
    this.chart ??= init(this.chartBox, undefined, { renderer: 'svg' });
    this.chart.setOption(this.content.option, { notMerge: true });
    this.chart.resize();
  }
}
