#!/usr/bin/env node
'use strict';
// Browser tests of the guards beyond CORS (issue #16), in headless Chromium (playwright-core) and
// Firefox (puppeteer-core over WebDriver BiDi), against the example servers' --csrf,
// --allowed-host and --websocket options. Each check starts its own server, has the browser do
// what a user's page would, and compares what the page saw and what the server logged.
//
//   node guards.js --browser chromium|firefox --server NAME=PATH [--server NAME=PATH]
//                  [--chromium PATH] [--firefox PATH] [--only REGEX] [--verbose]
//
// Pages: a page server on 127.0.0.1:P serves a blank page under `localhost:P` (cross-site to the
// API on 127.0.0.1:S) and `127.0.0.1:P` (same-site, cross-origin); the API server serves its own
// pages for same-origin requests. Chromium also maps `attacker.test` to 127.0.0.1
// (--host-resolver-rules) and Firefox resolves it to the loopback address
// (network.dns.localDomains): a DNS-rebinding page at `http://attacker.test:S/`.
// Exit status 0 when every check passes; 1 otherwise.

const path = require('path');
const { spawn } = require('child_process');
const { parseArgs, sleep, withTimeout, startBlankPageServer } = require('./cli');

const TIMEOUT_MS = 15000;

const children = new Set();
process.on('exit', () => { for (const c of children) { try { c.kill('SIGKILL'); } catch { /* gone */ } } });
/** Starts an example server; resolves to {port, lines} once it prints its "listening on" line. */
function startServer(bin, args) {
  const proc = spawn(bin, ['--host', '127.0.0.1', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(proc);
  const state = { proc, lines: [], port: 0 };
  let errBuf = '';
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (chunk) => {
    errBuf += chunk;
    let nl;
    while ((nl = errBuf.indexOf('\n')) >= 0) {
      state.lines.push(errBuf.slice(0, nl));
      errBuf = errBuf.slice(nl + 1);
    }
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${path.basename(bin)} ${args.join(' ')}: did not start`)), 10000);
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /^listening on http:\/\/127\.0\.0\.1:(\d+)\s*$/m.exec(out);
      if (m && !state.port) {
        state.port = Number(m[1]);
        clearTimeout(timer);
        resolve(state);
      }
    });
    proc.on('exit', (code) => {
      children.delete(proc);
      if (!state.port) { clearTimeout(timer); reject(new Error(`${path.basename(bin)} exited with ${code}: ${errBuf}`)); }
    });
  });
}

function stopServer(s) {
  children.delete(s.proc);
  s.proc.kill('SIGKILL');
}

async function launchBrowser(opts) {
  if (opts.browser === 'chromium') {
    const { chromium } = require('playwright-core');
    const browser = await chromium.launch({
      executablePath: opts.chromium,
      args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
        '--host-resolver-rules=MAP attacker.test 127.0.0.1'],
      timeout: 60000,
    });
    return {
      version: `Chromium ${browser.version()}`,
      rebinding: true,
      // A fresh context per check: no cookie or cache carries over.
      newPage: async () => {
        const context = await browser.newContext();
        const page = await context.newPage();
        return { page, close: () => context.close() };
      },
      close: () => browser.close(),
    };
  }
  const puppeteer = require('puppeteer-core');
  const browser = await puppeteer.launch({
    browser: 'firefox', executablePath: opts.firefox, headless: true, protocol: 'webDriverBiDi', timeout: 60000,
    // Firefox resolves the names listed here to the loopback address.
    extraPrefsFirefox: { 'network.dns.localDomains': 'attacker.test' },
  });
  const version = (await browser.version()).replace(/^firefox\//i, 'Firefox ');
  return {
    version,
    rebinding: true,
    newPage: async () => {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      return { page, close: () => context.close() };
    },
    close: () => browser.close(),
  };
}

/** Navigates and waits for the load; returns the page's text. */
async function visit(page, url) {
  await withTimeout(page.goto(url), TIMEOUT_MS, `goto ${url}`);
  return page.evaluate(() => document.body ? document.body.innerText : '');
}

/** Submits an HTML form (POST, text/plain) from the current page to `action`; returns the text
 * of the page it navigates to. A form is what a CSRF attacker uses: no preflight, cookies sent. */
async function submitForm(page, action) {
  await page.evaluate((a) => {
    const f = document.createElement('form');
    f.method = 'POST';
    f.action = a;
    f.enctype = 'text/plain';
    const i = document.createElement('input');
    i.name = 'transfer';
    i.value = 'all';
    f.appendChild(i);
    document.body.appendChild(f);
    setTimeout(() => f.submit(), 0);
  }, action);
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    try {
      const here = await page.evaluate(() => [location.href, document.readyState, document.body ? document.body.innerText : '']);
      if (here[0] === action && here[1] === 'complete') return here[2];
    } catch { /* navigating */ }
    if (Date.now() > deadline) throw new Error(`the form to ${action} never loaded`);
    await sleep(100);
  }
}

/** Runs in the page: one fetch(), reported as plain data. */
async function pageFetch(spec) {
  try {
    const res = await fetch(spec.url, { method: spec.method, credentials: spec.credentials, body: spec.body,
      mode: 'cors' });
    return { ok: true, status: res.status, body: await res.text() };
  } catch (e) {
    return { ok: false, error: `${e.name}: ${e.message}` };
  }
}

/** Runs in the page: opens a WebSocket, sends one message, reports what came back. */
function pageWebSocket(url) {
  return new Promise((resolve) => {
    let opened = false;
    const ws = new WebSocket(url);
    const timer = setTimeout(() => resolve({ opened, echo: null, error: 'timeout' }), 5000);
    ws.onopen = () => { opened = true; ws.send('ping 16'); };
    ws.onmessage = (e) => { clearTimeout(timer); ws.close(); resolve({ opened, echo: String(e.data) }); };
    ws.onerror = () => { clearTimeout(timer); resolve({ opened, echo: null, error: 'error' }); };
    ws.onclose = () => { clearTimeout(timer); resolve({ opened, echo: null, error: 'closed' }); };
  });
}

/** The server's log lines for `method path` since `from`: the app's (`origin=`) and the guards'. */
function logged(server, from, method, urlPath) {
  return server.lines.slice(from).filter((l) => l.startsWith(`${method} ${urlPath} `));
}
const reachedApp = (lines) => lines.some((l) => / origin=\S+ .* -> 200$/.test(l) && !/ refused \((host|csrf)/.test(l));
const refusedBy = (lines, what) => lines.some((l) => l.includes(`${what} refused (`));

// ---- the checks: each returns null when it passes, or what went wrong ---------------------------
const checks = [
  {
    id: 'csrf: a cross-site form POST with a cookie is refused by --csrf',
    run: async (ctx) => csrfForm(ctx, ['--csrf'], 'localhost', true),
  },
  {
    id: 'csrf: a cross-site form POST with a cookie reaches the app without --csrf',
    run: async (ctx) => csrfForm(ctx, [], 'localhost', false),
  },
  {
    id: 'csrf: a same-site cross-origin form POST with a cookie is refused by --csrf',
    run: async (ctx) => csrfForm(ctx, ['--csrf'], '127.0.0.1', true),
  },
  {
    id: 'csrf: a same-site cross-origin form POST sends the cookie and reaches the app without --csrf',
    run: async (ctx) => csrfForm(ctx, [], '127.0.0.1', false),
  },
  {
    id: 'csrf: a same-origin fetch POST passes --csrf',
    run: async (ctx) => {
      const api = await ctx.start(['--csrf', '--origin', 'https://app.example']);
      await visit(ctx.page, `http://127.0.0.1:${api.port}/`);
      const from = api.lines.length;
      const r = await ctx.page.evaluate(pageFetch, { url: '/cookie/echo', method: 'POST', credentials: 'same-origin', body: 'x' });
      await sleep(100);
      if (!r.ok || r.status !== 200) return `fetch: ${JSON.stringify(r)}`;
      if (!reachedApp(logged(api, from, 'POST', '/cookie/echo'))) return `not in the app's log: ${api.lines.slice(from)}`;
      return null;
    },
  },
  {
    id: 'csrf: a CORS-allowed origin\'s credentialed fetch POST passes --csrf',
    run: async (ctx) => {
      const origin = `http://localhost:${ctx.pages.port}`;
      const api = await ctx.start(['--csrf', '--origin', origin, '--credentials']);
      await visit(ctx.page, `http://127.0.0.1:${api.port}/cookie/set`);
      await visit(ctx.page, `${origin}/`);
      const from = api.lines.length;
      const r = await ctx.page.evaluate(pageFetch, { url: `http://127.0.0.1:${api.port}/cookie/echo`, method: 'POST',
        credentials: 'include', body: 'x' });
      await sleep(100);
      if (!r.ok || r.status !== 200) return `fetch: ${JSON.stringify(r)}`;
      if (!reachedApp(logged(api, from, 'POST', '/cookie/echo'))) return `not in the app's log: ${api.lines.slice(from)}`;
      return null;
    },
  },
  {
    id: 'csrf: an untrusted origin\'s credentialed fetch POST is refused by --csrf',
    run: async (ctx) => {
      const api = await ctx.start(['--csrf', '--origin', 'https://app.example', '--credentials']);
      await visit(ctx.page, `http://localhost:${ctx.pages.port}/`);
      const from = api.lines.length;
      await ctx.page.evaluate(pageFetch, { url: `http://127.0.0.1:${api.port}/cookie/echo`, method: 'POST',
        credentials: 'include', body: 'x' });
      await sleep(100);
      const lines = logged(api, from, 'POST', '/cookie/echo');
      if (!refusedBy(lines, 'csrf') || reachedApp(lines)) return `log: ${api.lines.slice(from)}`;
      return null;
    },
  },
  {
    id: 'websocket: an allowed origin opens the socket and gets its echo',
    beastOnly: true,
    run: async (ctx) => {
      const origin = `http://localhost:${ctx.pages.port}`;
      const api = await ctx.start(['--origin', origin, '--websocket', '/ws']);
      await visit(ctx.page, `${origin}/`);
      const r = await withTimeout(ctx.page.evaluate(pageWebSocket, `ws://127.0.0.1:${api.port}/ws`), TIMEOUT_MS, 'ws');
      if (!r.opened || r.echo !== 'ping 16') return `socket: ${JSON.stringify(r)}`;
      return null;
    },
  },
  {
    id: 'websocket: a disallowed origin cannot open the socket',
    beastOnly: true,
    run: async (ctx) => {
      const api = await ctx.start(['--origin', 'https://app.example', '--websocket', '/ws']);
      await visit(ctx.page, `http://localhost:${ctx.pages.port}/`);
      const from = api.lines.length;
      const r = await withTimeout(ctx.page.evaluate(pageWebSocket, `ws://127.0.0.1:${api.port}/ws`), TIMEOUT_MS, 'ws');
      await sleep(100);
      if (r.opened || r.echo !== null) return `socket: ${JSON.stringify(r)}`;
      if (!api.lines.slice(from).some((l) => l.includes('websocket refused (origin_not_allowed)'))) {
        return `log: ${api.lines.slice(from)}`;
      }
      return null;
    },
  },
  {
    id: 'host: a DNS-rebinding page\'s same-origin request is refused by --allowed-host',
    rebinding: true,
    run: async (ctx) => rebinding(ctx, ['--allowed-host', 'api.test'], true),
  },
  {
    id: 'host: a DNS-rebinding page\'s same-origin request reaches the app without the Host guard',
    rebinding: true,
    run: async (ctx) => rebinding(ctx, [], false),
  },
];

/** Sets the API's cookie, then submits a form to it from http://<pageHost>:P/. */
async function csrfForm(ctx, args, pageHost, expectRefused) {
  const api = await ctx.start([...args, '--origin', 'https://app.example']);
  const target = `http://127.0.0.1:${api.port}/cookie/echo`;
  await visit(ctx.page, `http://127.0.0.1:${api.port}/cookie/set`);
  await visit(ctx.page, `http://${pageHost}:${ctx.pages.port}/`);
  const from = api.lines.length;
  const text = await submitForm(ctx.page, target);
  await sleep(100);
  const lines = logged(api, from, 'POST', '/cookie/echo');
  if (expectRefused) {
    if (!refusedBy(lines, 'csrf') || reachedApp(lines)) return `log: ${api.lines.slice(from)}`;
    if (!text.startsWith('refused: csrf refused')) return `page: ${text}`;
    return null;
  }
  if (!reachedApp(lines) || refusedBy(lines, 'csrf')) return `log: ${api.lines.slice(from)}`;
  // Same-site requests carry the SameSite=Lax cookie; a cross-site form POST carries it only
  // where the browser still sends cookies without SameSite cross-site (Firefox ESR), so only
  // the same-site case insists on it.
  ctx.note = `cookie ${text.includes('cors_test=1') ? 'sent' : 'not sent'}`;
  if (pageHost === '127.0.0.1' && !text.includes('cors_test=1')) return `the cookie was not sent: page ${text}`;
  return null;
}

/** A page loaded from http://attacker.test:S/ (the API's port: same origin after rebinding). */
async function rebinding(ctx, args, expectRefused) {
  const api = await ctx.start([...args, '--origin', 'https://app.example']);
  await visit(ctx.page, `http://attacker.test:${api.port}/`);
  const from = api.lines.length;
  const r = await ctx.page.evaluate(pageFetch, { url: '/cookie/echo', method: 'POST', credentials: 'same-origin', body: 'x' });
  await sleep(100);
  const lines = logged(api, from, 'POST', '/cookie/echo');
  if (!r.ok) return `fetch: ${JSON.stringify(r)}`;
  if (expectRefused) {
    if (r.status !== 403 || !refusedBy(lines, 'host') || reachedApp(lines)) return `status ${r.status}, log: ${api.lines.slice(from)}`;
    return null;
  }
  if (r.status !== 200 || !reachedApp(lines)) return `status ${r.status}, log: ${api.lines.slice(from)}`;
  return null;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2), { regexes: ['only'], servers: true, required: ['servers'] });
  const pages = await startBlankPageServer('guards');
  const browser = await launchBrowser(opts);
  const rows = [];
  try {
    for (const server of opts.servers) {
      for (const c of checks) {
        if (opts.only && !opts.only.test(c.id)) continue;
        const row = { id: c.id, server: server.name };
        if (c.beastOnly && server.name !== 'beast') row.skip = 'the server has no WebSocket';
        else if (c.rebinding && !browser.rebinding) row.skip = 'no host-resolver rules in this browser';
        if (row.skip) { rows.push(row); continue; }
        const started = [];
        const { page, close } = await browser.newPage();
        const ctx = { page, pages: pages.address(), start: async (a) => { const s = await startServer(server.bin, a); started.push(s); return s; } };
        try {
          row.failure = await withTimeout(c.run(ctx), 4 * TIMEOUT_MS, c.id);
          row.note = ctx.note;
        } catch (e) {
          row.failure = `error: ${e.message}`;
        } finally {
          await close().catch(() => {});
          for (const s of started) {
            if (opts.verbose) console.log(`  [${server.name}] ${s.lines.join('\n  ')}`);
            stopServer(s);
          }
        }
        rows.push(row);
      }
    }
  } finally {
    await browser.close().catch(() => {});
    pages.close();
  }
  let failed = 0;
  for (const r of rows) {
    const verdict = r.skip ? `skip (${r.skip})` : r.failure ? `FAIL: ${r.failure}` : `pass${r.note ? ` (${r.note})` : ''}`;
    if (r.failure) ++failed;
    console.log(`${browser.version} ${r.server.padEnd(8)} ${r.id}: ${verdict}`);
  }
  const ran = rows.filter((r) => !r.skip).length;
  console.log(`\n${ran - failed} passed, ${failed} failed, ${rows.length - ran} skipped`);
  process.exitCode = failed || ran === 0 ? 1 : 0;
}

main().catch((e) => {
  console.error(`FAIL: ${e.stack || e.message}`);
  process.exitCode = 1;
});
