// Checks a built accord site as a person sees it, in Debian's headless Chromium:
// crawl every page, asset and #fragment served at / and under /REPO/ and opened from file://,
// run a search and follow a result, print a partnership page and the briefing to PDF, and
// screenshot pages at desktop and phone widths. Usage: node browser.mjs SITE_DIR ARTIFACTS_DIR
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [site, artifacts] = process.argv.slice(2).map((p) => path.resolve(p));
const failures = [];
const fail = (msg) => { failures.push(msg); console.error(`FAIL ${msg}`); };

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json', '.xml': 'application/xml', '.csv': 'text/csv', '.txt': 'text/plain' };

// Serves SITE under `prefix` the way GitHub Pages does: folders give index.html, misses give 404.html.
function serve(prefix) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let rel = decodeURIComponent(url.pathname);
    if (!rel.startsWith(prefix)) { res.writeHead(404); res.end('outside the site'); return; }
    rel = rel.slice(prefix.length);
    let file = path.join(site, rel);
    if (!file.startsWith(site)) { res.writeHead(403); res.end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!fs.existsSync(file)) {
      res.writeHead(404, { 'content-type': TYPES['.html'] });
      res.end(fs.readFileSync(path.join(site, '404.html')));
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

const pdfText = (file) => execFileSync('pdftotext', ['-layout', file, '-']).toString();
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
  for (const e of errors) fail(`script error: ${e}`);

  const base = `http://127.0.0.1:${underRepo.address().port}/REPO/`;
  const model = JSON.parse(fs.readFileSync(path.join(site, 'data/model.json'), 'utf8'));
  const partnership = model.partnerships[0];

  // Search: type an organization's name in the box, follow the first result.
  const org = model.organizations.find((o) => model.partnerships.some((p) => p.parties.includes(o.id)));
  await page.goto(new URL('index.html', base).href);
  const box = page.locator('input[type=search]').first();
  if (await box.count() === 0) {
    fail('search: no search box on the home page');
  } else {
    await box.focus();
    await page.keyboard.type(org.name.split(' ').slice(-2).join(' '));
    await page.keyboard.press('Enter');
    const result = page.locator('[data-search-results] a').first();
    await result.waitFor({ timeout: 5000 }).catch(() => fail('search: no result listed'));
    if (await result.count()) {
      await result.click();
      await page.waitForLoadState('load');
      const h1 = await page.locator('h1').first().innerText();
      if (!h1.includes(org.name)) fail(`search: result led to "${h1}", not ${org.name}`);
      else console.log(`search: "${org.name}" found and opened`);
    }
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
  console.log(`print: partnership ${pdfPages(pPdf)} page, briefing ${pdfPages(bPdf)} pages`);
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
