// `--report DIR` for the CLI commands: a self-contained HTML report (src/report: inline SVG charts
// and tables, no scripts, no network references) written atomically to DIR/report.html, with its
// path printed (on stdout with the human output, on stderr with --json so stdout stays JSON).
// Also the small pieces the commands share: a line chart (dose against a covariate), a target
// window for concentration plots, and the progress-bar switch.

import { join } from 'node:path';
import {
  DASHES,
  SERIES,
  axisFrom,
  cartesian,
  el,
  esc,
  fmt,
  htmlReport,
  noDataChart,
  points,
  svgDocument,
  type LegendItem,
  type ReportSection,
  type TargetWindow,
  windowText,
} from '../report/index.js';
import { reportFileName, writeReport } from '../report/write.js';
import { outputFile, outputFolder, refuseInputsIn } from '../files.js';
import { clauseText, parseTarget, windowClauseMetric, type TargetSpec } from '../design/targets/targets.js';
import { progressBar } from './progress.js';
import { printedWarnings } from './warning-log.js';
import { withWarnings } from '../report/warnings.js';
import { foldersToMake, madeReportFolders } from './report-folders.js';

export interface ReportArgs {
  readonly report?: string;
  readonly json?: boolean;
}

/** Writes DIR/report.html atomically and prints its path; returns the absolute path. */
export function emitReport(
  a: ReportArgs & { readonly report: string },
  command: string,
  o: { readonly title: string; readonly subtitle?: string; readonly sections: readonly ReportSection[] },
  stdout: (s: string) => void,
): string {
  // every warning the run printed, in the section it concerns (before, the estimate's own alone)
  const sections = withWarnings(o.sections, printedWarnings());
  const html = htmlReport({ title: o.title, subtitle: o.subtitle, sections, generatedBy: `dosewise ${command}` });
  const path = writeReport(a.report, 'report.html', html);
  if (a.json) process.stderr.write(`report: ${path}\n`);
  else stdout(`report: ${path}\n`);
  return path;
}

/**
 * Refuses a --report folder that cannot take its files before any work, as --out is checked: a
 * device, a file or a pipe where the folder should be, or something else than a regular file at
 * DIR/report.html (the folder is created, as for --out). Undefined (no --report) passes.
 */
export function checkReportPath(dir: string | undefined, names: readonly string[] = ['report.html']): void {
  if (dir === undefined) return;
  const made = foldersToMake(dir);
  const folder = outputFolder(dir);
  madeReportFolders(made);
  // a data file beside the report (summary.json) keeps its name; report names get .html
  const files = names.map((name) => (/\.json$/i.test(name) ? name : reportFileName(name)));
  refuseInputsIn(dir, files, '--report');
  for (const name of files) outputFile(join(folder, name));
}

/** A progress bar on stderr unless --no-progress (or `off`). */
export function progressFor(a: { readonly progress?: boolean }, label: string, off = false): ((done: number, total: number) => void) | undefined {
  return a.progress === false || off ? undefined : progressBar(label);
}

export interface LineSeries {
  readonly label: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
}

/** Lines with point markers (one per series), e.g. the nomogram's dose against a covariate. */
export function lineChart(series: readonly LineSeries[], o: { title: string; xLabel: string; xUnit?: string; yLabel: string; yUnit?: string; width?: number; height?: number }): string {
  const clean = series
    .map((s) => ({ label: s.label, points: s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)).sort((a, b) => a.x - b.x) }))
    .filter((s) => s.points.length > 0);
  if (clean.length === 0) return noDataChart('lines', o.title, { title: o.title, width: o.width, height: 240 });
  const xs = clean.flatMap((s) => s.points.map((p) => p.x));
  const ys = clean.flatMap((s) => s.points.map((p) => p.y));
  const x = axisFrom(xs, { label: o.xLabel, unit: o.xUnit, count: 6 });
  const y = axisFrom(ys, { zero: true, label: o.yLabel, unit: o.yUnit, count: 5 });
  const items: LegendItem[] = clean.length > 1 ? clean.map((s, i) => ({ kind: 'line', color: SERIES[i % SERIES.length] as string, dash: DASHES[i % DASHES.length], label: s.label })) : [];
  const L = cartesian({ width: o.width ?? 640, height: o.height ?? 340, title: o.title, legend: items, x, y });
  let body = L.header + L.under;
  clean.forEach((s, i) => {
    const color = SERIES[i % SERIES.length] as string;
    let g = '';
    if (s.points.length > 1)
      g += el('polyline', { class: 'dw-line', points: points(s.points.map((p) => [L.x.map(p.x), L.y.map(p.y)])), fill: 'none', stroke: color, 'stroke-width': 2, 'stroke-dasharray': DASHES[i % DASHES.length], 'stroke-linejoin': 'round' });
    for (const p of s.points) g += el('circle', { class: 'dw-point', cx: L.x.map(p.x), cy: L.y.map(p.y), r: 3.5, fill: color, stroke: '#ffffff', 'stroke-width': 1 }, `<title>${esc(`${s.label}: ${fmt(p.x, 4)} → ${fmt(p.y, 4)}`)}</title>`);
    body += el('g', { class: 'dw-series', 'data-label': s.label }, g);
  });
  body += L.over;
  const desc = `${o.title}: ${clean.length} line${clean.length === 1 ? '' : 's'} (${clean.map((s) => s.label).join(', ')}) over ${o.xLabel} ${fmt(Math.min(...xs), 4)}–${fmt(Math.max(...xs), 4)}.`;
  return svgDocument({ width: L.width, height: L.height, title: o.title, accessibleTitle: o.title, desc, kind: 'lines', body });
}

/** A target given as `auc24:400:600,trough:10:20` (or a JSON file already read), parsed; undefined when absent. */
export function targetSpec(target: unknown): TargetSpec | undefined {
  return target === undefined ? undefined : parseTarget(target);
}

/** The concentration window of a target (its trough or Css,avg clause) for concentration plots. */
export function concentrationWindow(spec: TargetSpec | undefined): TargetWindow | undefined {
  for (const c of spec?.clauses ?? []) {
    if (c.metric !== 'trough' && c.metric !== 'cavg') continue;
    if (c.fu !== undefined) continue; // a window on unbound concentrations is not on the plotted (total) scale
    const lo = c.lo ?? -Infinity;
    const hi = c.hi ?? Infinity;
    return { lo, hi, label: `${c.metric === 'trough' ? 'Trough' : 'Average concentration'} target ${windowText(lo, hi)}` };
  }
  return undefined;
}

/** The window clauses of a target (auc24, auctau, trough, cavg): metric spec (with fu=F/), clause text and bounds. */
export function windowClauses(spec: TargetSpec | undefined): { metric: string; text: string; lo: number; hi: number }[] {
  const out: { metric: string; text: string; lo: number; hi: number }[] = [];
  for (const c of spec?.clauses ?? []) {
    if (c.metric === 'auc24' || c.metric === 'auctau' || c.metric === 'trough' || c.metric === 'cavg')
      out.push({ metric: windowClauseMetric(c), text: clauseText(c), lo: c.lo ?? -Infinity, hi: c.hi ?? Infinity });
  }
  return out;
}
