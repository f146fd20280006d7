// Every relative link and #anchor of README.md and docs/*.md resolves, with anchors made as GitHub
// makes them from headings (lowercase; punctuation other than `-` and `_` dropped, so backticks and
// parentheses go; each space becomes `-`; a repeated heading gets -1, -2, ...), or given as
// <a id="...">. The reference moved out of the README into docs/ on 2026-12-07, so a sentence that
// pointed at a section "above" or "below" now points into another file: such pointers are links,
// and the wordings the move left behind, naming a place that is no longer there, stay out.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FILES = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];

/** Lines outside fenced code blocks, with their 1-based numbers and inline code removed. */
function proseLines(text: string): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  let fence = false;
  text.split('\n').forEach((line, i) => {
    if (/^\s*(```|~~~)/.test(line)) { fence = !fence; return; }
    if (!fence) out.push([i + 1, line]);
  });
  return out;
}

/** GitHub's heading anchor. */
function slug(heading: string): string {
  const text = heading.replace(/<[^>]+>/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').trim().toLowerCase();
  return [...text].filter((ch) => /[\p{L}\p{N}\p{Mn}\p{Mc}\p{Pc} -]/u.test(ch)).join('').replace(/ /g, '-');
}

const anchorCache = new Map<string, Set<string>>();
function anchors(file: string): Set<string> {
  const hit = anchorCache.get(file);
  if (hit) return hit;
  const set = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, line] of proseLines(readFileSync(file, 'utf8'))) {
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      const base = slug(h[1] as string);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      set.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const a of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) set.add(a[1] as string);
  }
  anchorCache.set(file, set);
  return set;
}

interface Link { readonly file: string; readonly line: number; readonly url: string }

function links(): Link[] {
  const out: Link[] = [];
  for (const file of FILES) {
    for (const [line, text] of proseLines(readFileSync(join(ROOT, file), 'utf8'))) {
      for (const m of text.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        const url = m[1] as string;
        if (!/^[a-z][a-z0-9+.-]*:/i.test(url)) out.push({ file, line, url });
      }
    }
  }
  return out;
}

/** Why the link does not resolve, or undefined when it does. */
function broken(link: Link): string | undefined {
  const [path, fragment] = link.url.split('#', 2) as [string, string | undefined];
  const target = path === '' ? join(ROOT, link.file) : resolve(ROOT, dirname(link.file), decodeURIComponent(path));
  if (!existsSync(target)) return `no file ${relative(ROOT, target)}`;
  if (fragment === undefined || fragment === '') return undefined;
  if (statSync(target).isDirectory() || !target.endsWith('.md')) return `#${fragment} on ${relative(ROOT, target)}, which has no headings`;
  if (!anchors(target).has(fragment)) return `no heading #${fragment} in ${relative(ROOT, target)}`;
  return undefined;
}

describe('documentation links', () => {
  it('makes anchors as GitHub does', () => {
    expect(slug('The covariate file (`--covariates`)')).toBe('the-covariate-file---covariates');
    expect(slug('Where targets are missed, and why')).toBe('where-targets-are-missed-and-why');
    expect(slug('Simulating a data set: replicates')).toBe('simulating-a-data-set-replicates');
  });

  it('every relative link and #anchor of README.md and docs/*.md resolves', () => {
    const all = links();
    expect(all.length).toBeGreaterThan(60);
    const bad = all.flatMap((l) => { const why = broken(l); return why ? [`${l.file}:${l.line}: (${l.url}) ${why}`] : []; });
    expect(bad).toEqual([]);
  });

  it('no sentence points at a place the move to docs/ took away', () => {
    // Each is a wording that named a section by its old place in the one README.
    const gone = [
      /under "Browser benchmarks" above/,
      /see "Worker pool scaling"/,
      /see "Fresh pages" under Benchmarks/,
      /see "Model texts"\)/,
      /a built-in name \(above\)/,
      /W-b below\)/,
      /W-map below ran/,
      /the DDSketch \(above\)/,
      /MAP-estimated as above/,
      /\(see the stiff method under `--method`\)/,
      /\(README, cost of the global search\)/,
      /the README's TMDD text/,
      /The TMDD text of this README/,
      /the README's "Command line" section/,
      /the measurements behind it there \("Where targets are missed, and why"\)/,
    ];
    const found: string[] = [];
    for (const file of [...FILES, 'ARCHITECTURE.md']) {
      readFileSync(join(ROOT, file), 'utf8').split('\n').forEach((line, i) => {
        for (const re of gone) if (re.test(line)) found.push(`${file}:${i + 1}: ${re.source}`);
      });
    }
    expect(found).toEqual([]);
  });

  it('the sections the README names by title have headings to link to', () => {
    const bench = anchors(join(ROOT, 'docs/benchmarks.md'));
    expect(bench.has('where-targets-are-missed-and-why')).toBe(true);
    expect(bench.has('w-ceiling')).toBe(true);
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain('(docs/benchmarks.md#where-targets-are-missed-and-why)');
  });
});
