// The what-if tool open in headless Chromium (Debian's chromium through playwright-core), served
// from dist/web: one place for the launch flags this machine needs, the console-error log and the
// clean-up, shared by the browser tests of the tool.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { serveStatic, type StaticServer } from './server.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DIST = join(ROOT, 'dist', 'web');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = join(ROOT, 'test', 'browser', 'artifacts');

export interface ToolPage {
  readonly server: StaticServer;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors and uncaught page errors, as they come. */
  readonly problems: string[];
  /** Loads the tool afresh and waits for its engine. */
  fresh(): Promise<void>;
  /** The page's MAP η once its work has settled. */
  eta(): Promise<number[]>;
  close(): Promise<void>;
}

export async function openTool(viewport = { width: 1280, height: 1000 }): Promise<ToolPage> {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('dist/web is missing: the global setup (vite build) did not run');
  if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  const server = await serveStatic(DIST);
  const userDataDir = mkdtempSync(join(tmpdir(), 'dosewise-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return {
    server,
    context,
    page,
    problems,
    async fresh() {
      await page.goto(server.url);
      await page.evaluate(() => window.dosewise.ready);
    },
    async eta() {
      await page.evaluate(() => window.dosewise.settled());
      return (await page.evaluate(() => window.dosewise.lastEstimate?.eta)) ?? [];
    },
    async close() {
      await context.close();
      await server.close();
      rmSync(userDataDir, { force: true, recursive: true });
    },
  };
}
