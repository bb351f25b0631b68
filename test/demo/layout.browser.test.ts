/**
 * The demo page with the plugin's GUI at narrow widths (Chromium, built
 * plugin): at 600 px nothing scrolls sideways, neither the page nor any of
 * the plugin's shadow roots; at 600 and 800 px no label, button or heading
 * is cut. Each tab is checked. Screenshots go to /tmp/deep-improv-demo-<width>-<tab>.png.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { openDemo, startDemoFixture, type DemoFixture } from './demo-page.ts';

let fixture: DemoFixture;
const errors: string[] = [];

before(async () => {
  fixture = await startDemoFixture();
});

after(async () => {
  await fixture?.close();
});

/**
 * What overflows: the page or a shadow host wider than its box, and text
 * elements (labels, buttons, headings, tabs) whose content is wider than they
 * are. A string, so the transpiler's helpers never reach the page.
 */
const OVERFLOW_SCRIPT = `(() => {
  const sideways = [];
  const cut = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth) sideways.push('page ' + doc.scrollWidth + ' > ' + doc.clientWidth);
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
    + ' "' + (el.textContent || '').trim().slice(0, 30) + '"';
  const roots = [document];
  for (let i = 0; i < roots.length; i++) {
    for (const el of roots[i].querySelectorAll('*')) {
      if (el.shadowRoot) {
        roots.push(el.shadowRoot);
        if (el.getClientRects().length > 0 && el.scrollWidth > el.clientWidth + 1) sideways.push(name(el) + ' ' + el.scrollWidth + ' > ' + el.clientWidth);
      }
      if (!el.matches('label, button, legend, h1, h2, h3, th, summary, .part, [role=tab], [role=status]')) continue;
      // Visually hidden labels (for screen readers) are 1 px wide on purpose.
      if (el.classList.contains('sr-only') || el.getClientRects().length === 0 || getComputedStyle(el).display === 'inline' || el.clientWidth === 0) continue;
      if (el.scrollWidth > el.clientWidth + 1) cut.push(name(el) + ' ' + el.scrollWidth + ' > ' + el.clientWidth);
    }
  }
  return { sideways, cut };
})()`;

function overflows(page: Page): Promise<{ sideways: string[]; cut: string[] }> {
  return page.evaluate(OVERFLOW_SCRIPT) as Promise<{ sideways: string[]; cut: string[] }>;
}

async function showTab(page: Page, label: string): Promise<void> {
  await page.locator('deep-improv-gui nav button', { hasText: label }).click();
  const tag = { Play: 'di-loop-panel', Listen: 'di-feature-view', Sessions: 'di-session-browser' }[label]!;
  await page.locator(`deep-improv-gui ${tag}`).waitFor();
  await page.waitForFunction((t) => {
    const el = document.querySelector('deep-improv-gui')?.shadowRoot?.querySelector(t);
    return !!el?.shadowRoot?.firstElementChild;
  }, tag);
}

for (const width of [600, 800]) {
  test(`at ${width} px nothing scrolls sideways and no label is cut`, async () => {
    const page = await openDemo(fixture, errors, { viewport: { width, height: 1000 } });
    await page.waitForFunction(() => document.querySelector('#progress [data-stage=models]')?.getAttribute('data-state') === 'done', undefined, { timeout: 30_000 });
    for (const tab of ['Play', 'Listen', 'Sessions']) {
      await showTab(page, tab);
      await page.screenshot({ path: `/tmp/deep-improv-demo-${width}-${tab.toLowerCase()}.png`, fullPage: true });
      const found = await overflows(page);
      assert.deepEqual(found.sideways, [], `${tab} tab at ${width} px: nothing wider than its box`);
      assert.deepEqual(found.cut, [], `${tab} tab at ${width} px: no text cut`);
    }
    await page.close();
  });
}

test('no page errors', () => {
  assert.deepEqual(errors, []);
});
