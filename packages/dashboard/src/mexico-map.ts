import mexico from '@svg-maps/mexico';
import { registerMap } from 'echarts/core';

interface SvgMap {
  viewBox: string;
  locations: { id: string; name: string; path: string }[];
}

// @svg-maps/mexico's ids are the ISO 3166-2:MX codes without `MX-`, lower case.
const shapes = mexico as unknown as SvgMap;

/** The 32 states as ISO 3166-2:MX codes (MX-JAL), in the map's order. */
export const STATE_CODES: readonly string[] = shapes.locations.map(
  (l) => `MX-${l.id.toUpperCase()}`,
);

/** The state's name in the map's words (English for Mexico City). */
export const MAP_STATE_NAMES: ReadonlyMap<string, string> = new Map(
  shapes.locations.map((l) => [`MX-${l.id.toUpperCase()}`, l.name]),
);

/** The ECharts map name under which the states are registered. */
export const MEXICO_MAP = 'mexico';

/**
 * Registers the states' shapes with ECharts as an SVG map whose regions are
 * named by ISO code. The shapes are the package's; only their wrapper is built here.
 */
export function registerMexicoMap(): void {
  const paths = shapes.locations
    .map((l) => `<path name="MX-${l.id.toUpperCase()}" d="${l.path}"/>`)
    .join('');
  registerMap(MEXICO_MAP, {
    svg: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${shapes.viewBox}">${paths}</svg>`,
  });
}
