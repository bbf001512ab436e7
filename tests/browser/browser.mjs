// Checks a built accord site as a person sees it, in Debian's headless Chromium:
// crawl every page, asset and #fragment served at / and under /REPO/ and opened from file://,
// run a search and follow a result, print a partnership page and the briefing to PDF, and
// screenshot pages at desktop and phone widths; ask for missing deep paths and follow the 404
// page's links. Usage: node browser.mjs SITE_DIR ARTIFACTS_DIR [SITE_WITHOUT_BASE_URL_DIR]
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [site, artifacts, plainSite] = process.argv.slice(2).map((p) => path.resolve(p));
const failures = [];
const fail = (msg) => { failures.push(msg); console.error(`FAIL ${msg}`); };

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json', '.xml': 'application/xml', '.csv': 'text/csv', '.txt': 'text/plain' };

// Serves `dir` under `prefix` the way GitHub Pages does: folders give index.html, misses give
// 404.html with status 404.
function serve(prefix, dir = site) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let rel = decodeURIComponent(url.pathname);
    if (!rel.startsWith(prefix)) { res.writeHead(404); res.end('outside the site'); return; }
    rel = rel.slice(prefix.length);
    let file = path.join(dir, rel);
    if (!file.startsWith(dir)) { res.writeHead(403); res.end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!fs.existsSync(file)) {
      res.writeHead(404, { 'content-type': TYPES['.html'] });
      res.end(fs.readFileSync(path.join(dir, '404.html')));
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const htmlFiles = (dir) => fs.readdirSync(dir, { recursive: true })
  .filter((f) => f.endsWith('.html')).map((f) => f.split(path.sep).join('/')).sort();

// Visits every page under `base`, checks each link, asset and fragment it names.
async function crawl(page, base, label) {
  const isFile = base.startsWith('file:');
  const inScope = (u) => u.startsWith(base);
  const ids = new Map();
  const targets = [];
  const pages = htmlFiles(site).filter((f) => f !== '404.html');
  for (const rel of pages) {
    const url = new URL(rel, base).href;
    const failed = [];
    const onFail = (r) => failed.push(r.url());
    page.on('requestfailed', onFail);
    const resp = await page.goto(url, { waitUntil: 'load' });
    page.off('requestfailed', onFail);
    if (!isFile && (!resp || resp.status() !== 200)) { fail(`${label}: ${rel}: HTTP ${resp && resp.status()}`); continue; }
    for (const f of failed) fail(`${label}: ${rel}: request failed ${f}`);
    const info = await page.evaluate(() => ({
      refs: [...document.querySelectorAll('a[href], link[href], script[src], img[src]')].map((e) => e.href || e.src),
      ids: [...document.querySelectorAll('[id]')].map((e) => e.id),
    }));
    ids.set(url, new Set(info.ids));
    for (const ref of info.refs) {
      if (ref.startsWith('http') && !inScope(ref) && !ref.startsWith('http://127.0.0.1')) continue; // external
      if (!inScope(ref)) { fail(`${label}: ${rel}: link leaves the site: ${ref}`); continue; }
      targets.push([rel, ref]);
    }
  }
  let checked = 0;
  for (const [from, ref] of targets) {
    const u = new URL(ref);
    const frag = decodeURIComponent(u.hash.slice(1));
    u.hash = '';
    let bare = u.href;
    if (bare.endsWith('/')) {
      if (isFile) { fail(`${label}: ${from}: folder link does not work from disk: ${ref}`); continue; }
      bare += 'index.html';
    }
    if (isFile) {
      if (!fs.existsSync(fileURLToPath(bare))) { fail(`${label}: ${from}: missing ${ref}`); continue; }
    } else if (!ids.has(bare)) {
      const r = await fetch(bare);
      if (r.status !== 200) { fail(`${label}: ${from}: HTTP ${r.status} for ${ref}`); continue; }
    }
    if (frag && !(ids.get(bare) || new Set()).has(frag)) fail(`${label}: ${from}: no #${frag} in ${bare}`);
    checked += 1;
  }
  console.log(`${label}: ${pages.length} pages, ${checked} links, assets and fragments checked`);
}

// Asks for a missing deep path: the answer must be the 404 page, styled, with links (once its
// script has found the site's root) that lead to real pages of the site.
async function notFound(page, base, label) {
  const missing = new URL('no/such/page/', base).href;
  const resp = await page.goto(missing, { waitUntil: 'load' });
  if (!resp || resp.status() !== 404) { fail(`${label}: ${missing}: HTTP ${resp && resp.status()}, not 404`); return; }
  const brand = page.locator('header.site .brand a');
  await page.waitForFunction((b) => document.querySelector('header.site .brand a').href.startsWith(b), base, { timeout: 5000 })
    .catch(async () => fail(`${label}: 404 links not led to the site root: ${await brand.getAttribute('href')}`));
  const info = await page.evaluate(() => ({
    styled: getComputedStyle(document.querySelector('.visually-hidden')).position === 'absolute',
    refs: [...document.querySelectorAll('a[href]:not([href^="#"]), form[action]')].map((e) => (e.action || e.href).split('#')[0]),
  }));
  if (!info.styled) fail(`${label}: 404 page is not styled`);
  let checked = 0;
  for (const ref of new Set(info.refs)) {
    if (!ref.startsWith(base)) { fail(`${label}: 404 link leaves the site: ${ref}`); continue; }
    const r = await fetch(ref);
    if (r.status !== 200) fail(`${label}: 404 link ${ref}: HTTP ${r.status}`);
    else checked += 1;
  }
  console.log(`${label}: ${missing} gives the 404 page; its ${checked} links lead to real pages`);
}

const pdfText = (file) => execFileSync('pdftotext', ['-layout', file, '-']).toString();
// The text in reading order, each table cell whole even where its words wrap.
const pdfFlow = (file) => execFileSync('pdftotext', [file, '-']).toString().replace(/\s+/g, ' ');
const pdfPages = (file) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file]).toString())[1]);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--allow-file-access-from-files'],
});
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));

  const atRoot = await serve('/');
  const underRepo = await serve('/REPO/');
  await crawl(page, `http://127.0.0.1:${atRoot.address().port}/`, 'served at /');
  await crawl(page, `http://127.0.0.1:${underRepo.address().port}/REPO/`, 'served under /REPO/');
  await crawl(page, pathToFileURL(site).href + '/', 'file://');
  await notFound(page, `http://127.0.0.1:${atRoot.address().port}/`, '404 at /');
  await notFound(page, `http://127.0.0.1:${underRepo.address().port}/REPO/`, '404 under /REPO/');
  if (plainSite) {
    const plain = await serve('/REPO/', plainSite);
    await notFound(page, `http://127.0.0.1:${plain.address().port}/REPO/`, '404 without base_url under /REPO/');
    plain.close();
  }
  for (const e of errors) fail(`script error: ${e}`);

  const base = `http://127.0.0.1:${underRepo.address().port}/REPO/`;
  const model = JSON.parse(fs.readFileSync(path.join(site, 'data/model.json'), 'utf8'));
  const partnership = model.partnerships[0];

  // Search: type an organization's name in the box, step to the first result with the arrow
  // key and follow it with Enter; then click a result; then filter by kind.
  const org = model.organizations.find((o) => model.partnerships.some((p) => p.parties.includes(o.id)));
  const query = org.name.split(' ').slice(-2).join(' ');
  await page.goto(new URL('index.html', base).href);
  const box = page.locator('input[type=search]').first();
  const firstResult = page.locator('[data-search-results] a').first();
  const opened = async (how) => {
    await page.waitForLoadState('load');
    const h1 = await page.locator('h1').first().innerText();
    if (!h1.includes(org.name)) fail(`search (${how}): result led to "${h1}", not ${org.name}`);
    else console.log(`search (${how}): "${query}" found ${org.name} and opened it`);
  };
  if (await box.count() === 0) {
    fail('search: no search box on the home page');
  } else {
    await box.focus();
    await page.keyboard.type(query);
    await page.keyboard.press('Enter');
    await firstResult.waitFor({ timeout: 5000 }).catch(() => fail('search: no result listed'));
    if (await firstResult.count()) {
      await page.locator('#search-q').focus();
      await page.keyboard.press('ArrowDown');
      const focused = await page.evaluate(() => document.activeElement.closest('[data-search-results]') !== null);
      if (!focused) fail('search: the down arrow does not move to the first result');
      await page.keyboard.press('Enter');
      await opened('keyboard');
      await page.goBack();
      await firstResult.waitFor({ timeout: 5000 });
      await firstResult.click();
      await opened('click');
    }
  }
  const searchUrl = (params) => new URL(`search/index.html?${new URLSearchParams(params)}`, base).href;
  await page.goto(searchUrl({ q: query, kind: 'partnership' }));
  await page.locator('#search-status').filter({ hasText: /match/ }).waitFor({ timeout: 5000 }).catch(() => {});
  const kinds = await page.locator('[data-search-results] .kind').allInnerTexts();
  if (!kinds.length || kinds.some((k) => k.toLowerCase() !== 'partnership')) fail(`search: kind filter gave ${JSON.stringify(kinds)}`);
  else console.log(`search: "${query}" among partnerships only: ${kinds.length} results`);
  // An alias that is not part of the name finds its record.
  const aliased = model.organizations.find((o) => (o.aliases || []).some((a) => !o.name.toLowerCase().includes(a.toLowerCase())));
  if (aliased) {
    const alias = aliased.aliases.find((a) => !aliased.name.toLowerCase().includes(a.toLowerCase()));
    await page.goto(searchUrl({ q: alias }));
    await firstResult.waitFor({ timeout: 5000 }).catch(() => {});
    const names = await page.locator('[data-search-results] a').allInnerTexts();
    if (!names.includes(aliased.name)) fail(`search: alias "${alias}" does not find ${aliased.name}`);
    else console.log(`search: alias "${alias}" finds ${aliased.name}`);
  }

  // Print: a partnership page is a one-pager; the briefing holds every partnership.
  await page.emulateMedia({ media: 'print' });
  const pPdf = path.join(artifacts, 'partnership.pdf');
  await page.goto(new URL(`partnerships/${partnership.id}/index.html`, base).href);
  await page.pdf({ path: pPdf, format: 'A4', printBackground: true });
  const pText = pdfText(pPdf);
  if (pdfPages(pPdf) !== 1) fail(`print: partnership page takes ${pdfPages(pPdf)} pages, not 1`);
  if (!pText.replace(/\s+/g, ' ').includes(partnership.title.replace(/\s+/g, ' '))) fail('print: partnership title missing from the PDF');
  if (/Skip to content|Search/.test(pText.split('\n').slice(0, 3).join(' '))) fail('print: navigation printed');
  const bPdf = path.join(artifacts, 'briefing.pdf');
  await page.goto(new URL('briefing/index.html', base).href);
  await page.pdf({ path: bPdf, format: 'A4', printBackground: true });
  const bText = pdfText(bPdf).replace(/\s+/g, ' ');
  for (const p of model.partnerships) if (!bText.includes(p.title.replace(/\s+/g, ' '))) fail(`print: briefing lacks ${p.title}`);
  for (const heading of ['People', 'Topics', 'Countries']) if (!bText.includes(`${heading} `)) fail(`print: briefing lacks its ${heading} section`);
  // The home page is a one-pager; a list page is a compact table without navigation.
  const hPdf = path.join(artifacts, 'home.pdf');
  await page.goto(new URL('index.html', base).href);
  await page.pdf({ path: hPdf, format: 'A4', printBackground: true });
  if (pdfPages(hPdf) !== 1) fail(`print: home page takes ${pdfPages(hPdf)} pages, not 1`);
  const hText = pdfText(hPdf).replace(/\s+/g, ' ');
  if (!hText.includes(partnership.title.replace(/\s+/g, ' '))) fail('print: home page PDF lacks the partnerships');
  const oPdf = path.join(artifacts, 'organizations.pdf');
  await page.goto(new URL('organizations/index.html', base).href);
  await page.pdf({ path: oPdf, format: 'A4', printBackground: true });
  const oText = pdfText(oPdf);
  const oFlat = pdfFlow(oPdf);
  // About 40 rows a page at most: a page for every 25 organizations, and one to spare.
  const oMax = Math.ceil(model.organizations.length / 25) + 1;
  if (pdfPages(oPdf) > oMax) fail(`print: organizations list takes ${pdfPages(oPdf)} pages, more than ${oMax}`);
  for (const o of model.organizations) if (!oFlat.includes(o.name.replace(/\s+/g, ' '))) fail(`print: organizations list lacks ${o.name}`);
  if (/Skip to content|Overview|Search the briefing/.test(oText)) fail('print: navigation printed on the organizations list');
  console.log(`print: partnership ${pdfPages(pPdf)} page, briefing ${pdfPages(bPdf)} pages, home ${pdfPages(hPdf)} page, organizations list (${model.organizations.length} rows) ${pdfPages(oPdf)} pages`);
  await page.emulateMedia({ media: 'screen' });

  // Screenshots at desktop and phone widths, kept as artifacts.
  for (const [name, width, height] of [['desktop', 1280, 900], ['phone', 390, 844]]) {
    await page.setViewportSize({ width, height });
    for (const [what, rel] of [['home', 'index.html'], ['partnership', `partnerships/${partnership.id}/index.html`]]) {
      await page.goto(new URL(rel, base).href);
      await page.screenshot({ path: path.join(artifacts, `${what}-${name}.png`), fullPage: true });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
      if (overflow) fail(`layout: ${what} scrolls sideways at ${width}px`);
    }
  }
  console.log(`screenshots in ${artifacts}`);
  atRoot.close();
  underRepo.close();
} finally {
  await browser.close();
}
if (failures.length) {
  console.error(`${failures.length} failure(s)`);
  process.exit(1);
}
console.log('browser tier: all checks passed');
