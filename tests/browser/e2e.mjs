// Drives the page of `handout serve` in Debian's Chromium as a midwife
// would: ticks advice, types a name and a note, waits for the fit line and
// the preview, downloads the PDF, then uploads a roster and downloads its
// zip and combined PDF; runs axe-core on the page, and checks it at 200 %
// zoom and from the keyboard.
//
// tests/browser.rs starts the server and runs this with:
//   HANDOUT_URL   the address the server printed, with its token, which
//                 opens the page once: the other browsers here are given
//                 the first one's cookie
//   OUT           a folder for what it saves
//   ROSTER        a roster file to upload
//   SCREENSHOT    optional: where to save the screenshot for the README
// It prints one JSON object of what it found; the Rust test checks the
// files and the figures.

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(join(process.cwd(), 'tests/node/package.json'));
const { chromium } = require('playwright-core');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const url = process.env.HANDOUT_URL;
const out = process.env.OUT;
const rosterPath = process.env.ROSTER;
const screenshot = process.env.SCREENSHOT;

const result = { problems: [] };
const problem = (text) => result.problems.push(text);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--hide-scrollbars',
    '--font-render-hinting=none',
    '--lang=en-GB',
  ],
});

try {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 1000 },
    deviceScaleFactor: 1,
    locale: 'en-GB',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  // A blocked script or style, or a script error, is a failure.
  page.on('console', (message) => {
    if (message.type() === 'error') problem(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problem(`page error: ${error.message}`));

  const opened = await page.goto(url);
  result.landed = new URL(page.url()).pathname + new URL(page.url()).search;
  result.status = opened.status();

  // The address opened again in this browser, as in a second tab, leads
  // to the page.
  const second = await context.newPage();
  const again = await second.goto(url);
  result.secondTab = new URL(second.url()).pathname + new URL(second.url()).search;
  result.secondTabStatus = again.status();
  await second.close();

  // The starting fit line comes from the server with the page.
  await page.waitForFunction(() => document.documentElement.classList.contains('js'));
  const previewed = () =>
    page.evaluate(() => Number(document.getElementById('preview').dataset.updated || 0));
  await page.waitForFunction(() => document.getElementById('preview').dataset.updated);

  // Tick and untick as a midwife would, by the labels she reads.
  await page.getByLabel('Try a support belt.').check();
  await page.getByLabel('Walk every day.').uncheck();
  await page.getByLabel('Name').fill('Ana López');
  await page.getByLabel('Weeks').fill('28+3');
  const before = await previewed();
  // The note is typed key by key; the fit line follows the last key.
  await page.getByLabel('Note from you').pressSequentially(
    'Try the calf stretches before bed. Call me if one leg gets swollen or red.',
    { delay: 15 },
  );
  const lastKey = Date.now();
  await page.waitForFunction(
    (count) => Number(document.getElementById('preview').dataset.updated || 0) > count,
    before,
  );
  await page.waitForFunction(() => {
    const svg = document.querySelector('#preview svg desc');
    return svg && svg.textContent.replace(/\s+/g, ' ').includes('Call me if one leg gets swollen or red.');
  });
  result.previewMs = Date.now() - lastKey;
  result.fit = await page.locator('#fit').textContent();
  result.previewText = (await page.locator('#preview svg desc').textContent()).replace(/\s+/g, ' ');

  // Too much for one page: every item and the longest note.
  for (const box of await page.locator('#handout .advice input[type=checkbox]').all()) await box.check();
  const long = 'Keep your feet up when you can and walk a little every day. '.repeat(10).slice(0, 600);
  await page.getByLabel('Note from you').fill(long);
  await page.waitForFunction(() => document.getElementById('fit').textContent.startsWith('Over by'));
  result.over = await page.locator('#fit').textContent();
  // Back to what fits.
  await page.getByLabel('Note from you').fill(
    'Try the calf stretches before bed. Call me if one leg gets swollen or red.',
  );
  for (const label of ['Try a support belt.', 'Massage your calves.', 'Pain relief skills.']) {
    await page.getByLabel(label).uncheck();
  }
  await page.waitForFunction(() => document.getElementById('fit').textContent.startsWith('Fits'));
  await page.getByLabel('Walk every day.').uncheck();
  await page.getByLabel('Try a support belt.').check();
  await page.waitForFunction(() => document.getElementById('fit').textContent.startsWith('Fits'));
  const settled = await previewed();
  await page.waitForFunction(
    (count) => Number(document.getElementById('preview').dataset.updated || 0) >= count,
    settled,
  );
  result.fitAfter = await page.locator('#fit').textContent();

  if (screenshot) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(300);
    await page.screenshot({ path: screenshot, fullPage: false });
  }

  // The preview at the scale of `pdftoppm -r 100`, for the pixel check.
  const width = await page.evaluate(() => {
    const preview = document.getElementById('preview');
    const box = preview.querySelector('svg').viewBox.baseVal;
    const px = (box.width * 100) / 72;
    preview.style.width = `${px}px`;
    preview.style.boxShadow = 'none';
    preview.closest('.preview').style.position = 'static';
    window.dispatchEvent(new Event('resize'));
    return px;
  });
  // Whatever was on its way when the width changed, the preview shown is
  // the one drawn for this scale.
  await page.waitForFunction(() => {
    const preview = document.getElementById('preview');
    return !preview.dataset.busy && Math.abs(Number(preview.dataset.scale) - 100 / 72) < 1e-3;
  });
  result.previewWidth = width;
  result.previewBox = await page.evaluate(() => {
    const svg = document.querySelector('#preview svg');
    const box = svg.getBoundingClientRect();
    return [box.left + window.scrollX, box.top + window.scrollY, box.width, box.height];
  });
  await page.locator('#preview svg').screenshot({ path: join(out, 'preview.png') });

  // Download, as the button does.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download PDF' }).click(),
  ]);
  result.pdfName = download.suggestedFilename();
  await download.saveAs(join(out, 'handout.pdf'));

  // The roster: choosing the file checks it.
  await page.getByLabel('Date printed').fill('2026-11-25');
  await page.getByLabel('Roster file').setInputFiles(rosterPath);
  await page.waitForFunction(() =>
    /ready/.test(document.getElementById('batch-result').textContent),
  );
  result.batchSummary = await page.locator('#batch-result p').first().textContent();
  result.batchRows = await page.locator('#batch-result tbody tr').evaluateAll((rows) =>
    rows.map((row) => ({
      row: Number(row.cells[0].textContent),
      message: row.cells[1].textContent,
    })),
  );
  const zipButton = page.getByRole('button', { name: /Download zip/ });
  await zipButton.waitFor({ state: 'visible' });
  await page.waitForFunction(() => !document.getElementById('batch-zip').disabled);
  const [zip] = await Promise.all([page.waitForEvent('download'), zipButton.click()]);
  result.zipName = zip.suggestedFilename();
  await zip.saveAs(join(out, 'handouts.zip'));
  await page.waitForFunction(() => !document.getElementById('batch-combined').disabled);
  const [combined] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: /one PDF to print/ }).click(),
  ]);
  result.combinedName = combined.suggestedFilename();
  await combined.saveAs(join(out, 'combined.pdf'));

  // axe-core, through the DevTools protocol: the page's policy forbids any
  // script but its own.
  const axe = await page.evaluate(
    async (source) => {
      // eslint-disable-next-line no-eval
      (0, eval)(source);
      const found = await window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      });
      return found.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
    },
    axeSource,
  );
  result.axe = axe;

  // The keyboard alone: Tab reaches the name field and an item, Space
  // ticks it, Enter opens its text.
  await page.goto(new URL('/', url).href);
  await page.waitForFunction(() => document.documentElement.classList.contains('js'));
  await page.locator('#choice').focus();
  const reached = [];
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate(() => document.activeElement.id || document.activeElement.tagName);
    reached.push(id);
    if (id === 'pick-prevention-walking') break;
  }
  result.keyboardReached = reached;
  const walking = page.locator('#pick-prevention-walking');
  const wasChecked = await walking.isChecked();
  await page.keyboard.press('Space');
  result.spaceToggles = (await walking.isChecked()) !== wasChecked;
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  result.enterOpensDetails = await page.evaluate(
    () => document.activeElement.closest('details')?.open === true,
  );

  // Without JavaScript: the leaflet is chosen with its button, and the form
  // posts and returns the PDF.
  const plain = await browser.newContext({ javaScriptEnabled: false, acceptDownloads: true });
  // As another browser, the address, used already, is refused, saying why
  // and what to do.
  const elsewhere = await plain.newPage();
  result.elsewhereStatus = (await elsewhere.goto(url)).status();
  result.elsewhereText = await elsewhere.locator('body').textContent();
  await elsewhere.close();
  // With the first browser's cookie, the page.
  await plain.addCookies(await context.cookies());
  const bare = await plain.newPage();
  await bare.goto(new URL('/', url).href);
  await bare.getByLabel('Leaflet', { exact: true }).selectOption({ value: 'leg-cramps/es' });
  await bare.getByRole('button', { name: 'Show' }).click();
  result.noScriptLeaflet = await bare
    .locator('input[type=hidden][name=language], input[name=language]:checked')
    .getAttribute('value');
  result.noScriptDraftBadge = await bare.locator('.badge.draft').count();
  await bare.getByLabel('Leaflet', { exact: true }).selectOption({ value: 'leg-cramps/en' });
  await bare.getByRole('button', { name: 'Show' }).click();
  await bare.getByLabel('Name').fill('Bea Smith');
  await bare.getByLabel('Walk every day.').uncheck();
  const [plainPdf] = await Promise.all([
    bare.waitForEvent('download'),
    bare.getByRole('button', { name: 'Download PDF' }).click(),
  ]);
  result.noScriptPdfName = plainPdf.suggestedFilename();
  await plainPdf.saveAs(join(out, 'no-script.pdf'));
  await plain.close();

  // 200 % zoom on a small laptop: 1280 px at zoom 2 lays out as 640 px.
  const zoomed = await browser.newContext({
    viewport: { width: 640, height: 400 },
    deviceScaleFactor: 2,
  });
  // The cookie belongs to the first context, whose address works once;
  // this one is given the cookie.
  await zoomed.addCookies(await context.cookies());
  const small = await zoomed.newPage();
  await small.goto(new URL('/', url).href);
  await small.waitForFunction(() => document.getElementById('preview').dataset.updated);
  result.zoomOverflow = await small.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  result.zoomTargets = await small.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea, button, summary')]
      .filter((element) => element.type !== 'hidden' && element.getClientRects().length > 0)
      .filter((element) => {
        const box = element.getBoundingClientRect();
        return box.right > document.documentElement.clientWidth + 1 || box.width === 0;
      })
      .map((element) => element.id || element.name || element.tagName),
  );
  await zoomed.close();
} catch (error) {
  problem(`failed: ${error.stack || error}`);
  for (const open of browser.contexts().flatMap((context) => context.pages())) {
    problem(`#fit says: ${await open.locator('#fit').textContent().catch(() => '?')}`);
    await open.screenshot({ path: join(out, 'failure.png') }).catch(() => {});
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
