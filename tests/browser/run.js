#!/usr/bin/env node
'use strict';
// Browser tests: a page on http://127.0.0.1:A fetch()es from an example server on
// http://127.0.0.1:B, in headless Chromium (playwright-core) or Firefox (puppeteer-core over
// WebDriver BiDi). For every scenario the oracle (the library itself) says what the browser must
// do; the browser's verdict and the server's request log must agree with it.
//
//   node run.js --browser chromium|firefox --oracle PATH --server NAME=PATH [--server NAME=PATH]
//               [--chromium PATH] [--firefox PATH] [--only REGEX] [--verbose]
//
// Exit status 0 when every row passes; 1 otherwise, including when a browser cannot start.

const http = require('http');
const path = require('path');
const { spawn } = require('child_process');
const { scenarios, invalidPolicies, browserFacts } = require('./scenarios');
const { parseArgs: parseCommandLine, sleep, withTimeout } = require('./cli');

const FETCH_TIMEOUT_MS = 8000;
const SCENARIO_TIMEOUT_MS = 20000;
const SERVER_START_TIMEOUT_MS = 10000;

// ---- cleanup: every child process and browser is ended on any exit ---------------------------
const children = new Set();
let browserHandle = null;
function killChildren() {
  for (const c of children) {
    try { c.kill('SIGKILL'); } catch { /* already gone */ }
  }
  children.clear();
}
process.on('exit', killChildren);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, async () => {
    console.error(`\nreceived ${sig}: stopping servers and browser`);
    killChildren();
    if (browserHandle) await Promise.race([browserHandle.close().catch(() => {}), sleep(3000)]);
    process.exit(1);
  });
}

// ---- the page server: one blank page, reachable under several host names; it also answers
// /fact/<id> with the hand-written CORS headers of a browser fact, recording each request ------
function startPageServer(facts) {
  const requests = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const fact = url.pathname.startsWith('/fact/') && facts.find((f) => f.id === url.pathname.slice(6));
    if (fact) {
      requests.push({ method: req.method, url: req.url });
      const set = (list) => {
        for (const [n, v] of list ?? []) res.appendHeader(n, v.replace('{ORIGIN}', req.headers.origin ?? ''));
      };
      req.resume();
      if (req.method === 'OPTIONS') {
        set(fact.answer.preflight);
        res.writeHead(204).end();
      } else {
        set(fact.answer.actual);
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      }
    } else if (url.pathname === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end('<!doctype html><meta charset="utf-8"><title>cors-policy browser test</title><p>page');
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
    }
  });
  server.requests = requests;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** A browser fact: fetch from http://localhost:A to http://127.0.0.1:A/fact/<id>. */
async function runFact(page, pageServer, f, url) {
  const spec = { url, method: f.method, headers: f.headers, credentials: f.credentials, read: [],
    timeoutMs: FETCH_TIMEOUT_MS };
  const seen = () => pageServer.requests.filter((r) => r.url === new URL(url).pathname + new URL(url).search);
  const before = seen().length;
  const first = await withTimeout(page.evaluate(pageFetch, spec), SCENARIO_TIMEOUT_MS, 'page.evaluate(fetch)');
  const afterFirst = seen();
  const o = { preflight: afterFirst.slice(before).some((r) => r.method === 'OPTIONS'), ok: first.ok };
  if (f.repeat) {
    await withTimeout(page.evaluate(pageFetch, spec), SCENARIO_TIMEOUT_MS, 'page.evaluate(fetch)');
    o.repeat_preflight = seen().slice(afterFirst.length).some((r) => r.method === 'OPTIONS');
  }
  if (!first.ok) o.error = first.error;
  return o;
}

// ---- the example servers -----------------------------------------------------------------------
const LOG_LINE = /^(\S+) (\S+) origin=(\S+) (not_cors|actual|preflight) (allowed|refused) \(([a-z_]+)/;

/** Starts an example server; resolves to {port, lines, proc} or {exitCode, stderr} if it exits first. */
function startServer(bin, policyArgs) {
  const proc = spawn(bin, ['--host', '127.0.0.1', '--port', '0', ...policyArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(proc);
  const state = { proc, lines: [], stderr: '', port: 0, exited: null, waiters: [] };
  let errBuf = '';
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (chunk) => {
    state.stderr += chunk.length < 4096 ? chunk : '';
    errBuf += chunk;
    let nl;
    while ((nl = errBuf.indexOf('\n')) >= 0) {
      state.lines.push(errBuf.slice(0, nl));
      errBuf = errBuf.slice(nl + 1);
    }
    for (const w of state.waiters.splice(0)) w();
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`${path.basename(bin)} ${policyArgs.join(' ')}: no "listening on" line within ${SERVER_START_TIMEOUT_MS} ms`));
    }, SERVER_START_TIMEOUT_MS);
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
    proc.on('error', (e) => { clearTimeout(timer); reject(e); });
    proc.on('exit', (code, signal) => {
      children.delete(proc);
      state.exited = code ?? signal;
      if (!state.port) {
        clearTimeout(timer);
        // Let the last stderr chunk arrive.
        setTimeout(() => resolve({ exitCode: code, signal, stderr: state.stderr }), 50);
      }
    });
  });
}

let markerCounter = 0;
/** Waits until every request sent so far has been logged: sends a marker and waits for its line. */
async function settleLog(server) {
  const marker = `/__marker/${++markerCounter}`;
  await new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.port, path: marker, agent: false }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error('marker request timed out')));
  });
  const deadline = Date.now() + 5000;
  for (;;) {
    const i = server.lines.findIndex((l) => l.includes(` ${marker} `));
    if (i >= 0) return i;
    if (Date.now() > deadline) throw new Error(`the server never logged ${marker} (is --quiet set, or the log format changed?)`);
    await new Promise((r) => { server.waiters.push(r); setTimeout(r, 100); });
  }
}

// ---- the oracle ----------------------------------------------------------------------------------
function oracleLine(id, s, origin) {
  const enc = encodeURIComponent;
  const fields = [`id=${enc(id)}`];
  for (const a of s.policy) fields.push(`arg=${enc(a)}`);
  fields.push(`origin=${enc(origin)}`, `method=${enc(s.method)}`, `credentials=${enc(s.credentials)}`);
  for (const [n, v] of s.headers) fields.push(`header=${enc(`${n}:${v}`)}`);
  for (const r of s.read) fields.push(`read=${enc(r)}`);
  const m = /^\/status\/(\d+)$/.exec(s.path);
  fields.push(`app_status=${m ? m[1] : 200}`);
  return fields.join('\t');
}

function askOracle(bin, queries) {
  return new Promise((resolve, reject) => {
    const proc = spawn(bin, [], { stdio: ['pipe', 'pipe', 'ignore'] });
    children.add(proc);
    let out = '';
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (c) => { out += c; });
    proc.on('error', reject);
    proc.on('exit', (code) => {
      children.delete(proc);
      if (code !== 0) return reject(new Error(`oracle exited with ${code}`));
      const answers = new Map();
      for (const line of out.split('\n').filter(Boolean)) {
        const a = JSON.parse(line);
        answers.set(a.id, a);
      }
      resolve(answers);
    });
    proc.stdin.end(queries.map((q) => q + '\n').join(''));
  });
}

// ---- browsers --------------------------------------------------------------------------------------
async function launchBrowser(opts) {
  if (opts.browser === 'chromium') {
    const { chromium } = require('playwright-core');
    const browser = await chromium.launch({
      executablePath: opts.chromium,
      args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      timeout: 60000,
    });
    const context = await browser.newContext();
    return {
      version: `Chromium ${browser.version()}`,
      newPage: () => context.newPage(),
      close: () => browser.close(),
    };
  }
  const puppeteer = require('puppeteer-core');
  const browser = await puppeteer.launch({
    browser: 'firefox', executablePath: opts.firefox, headless: true, protocol: 'webDriverBiDi', timeout: 60000,
  });
  const version = (await browser.version()).replace(/^firefox\//i, 'Firefox ');
  return { version, newPage: () => browser.newPage(), close: () => browser.close() };
}

/** Runs in the page: one fetch(), reported as plain data. */
async function pageFetch(spec) {
  const headers = new Headers();
  for (const [n, v] of spec.headers) headers.append(n, v);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), spec.timeoutMs);
  try {
    const init = { method: spec.method, headers, mode: 'cors', credentials: spec.credentials, signal: controller.signal };
    if (spec.body !== undefined) init.body = spec.body;
    const res = await fetch(spec.url, init);
    const body = await res.text();
    const values = {};
    for (const n of spec.read) values[n] = res.headers.get(n);
    return { ok: true, status: res.status, values, body };
  } catch (e) {
    return { ok: false, error: `${e.name}: ${e.message}`, aborted: controller.signal.aborted };
  } finally {
    clearTimeout(timer);
  }
}

// ---- one scenario --------------------------------------------------------------------------------------
const NORMALIZED = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
const normalizeMethod = (m) => (NORMALIZED.has(m.toUpperCase()) ? m.toUpperCase() : m);

/** What the oracle's answer means for one fetch, in the fields the harness observes. */
function expectation(answer, s) {
  const e = { preflight: !!answer.preflight, actual_sent: !!answer.actual_sent, ok: !!answer.ok };
  if (answer.preflight) e.preflight_reason = answer.preflight_reason;
  if (answer.actual_sent) e.actual_reason = answer.actual_reason;
  if (answer.ok) {
    e.status = answer.status;
    e.readable = Object.keys(answer.readable).filter((n) => answer.readable[n]).sort().join(',') || '-';
    if (s.path === '/vary' && s.read.includes('Vary') && answer.readable.Vary) {
      e.vary = ['Accept-Encoding', ...answer.vary.split(',').map((t) => t.trim()).filter(Boolean)].sort().join(',');
    }
    if (s.expectBody !== undefined) e.body = s.expectBody;
  }
  if (s.repeat) e.repeat_preflight = !!answer.repeat_preflight;
  // The browser model's verdict (cors/browser.hpp) on the same answers; observe() puts the
  // browser's beside it.
  if (answer.model_error) e.model_error = answer.model_error;
  if (answer.model_ok !== undefined) e.model = answer.model_ok ? 'accepts' : 'refuses';
  return e;
}

async function doFetch(page, server, s, url, previous = null) {
  const start = server.lines.length;
  if (previous) previous.end = start;  // the previous fetch's log ends where this one's begins
  const spec = { url, method: s.method, headers: s.headers, credentials: s.credentials, body: s.body, read: s.read,
    timeoutMs: FETCH_TIMEOUT_MS };
  const result = await withTimeout(page.evaluate(pageFetch, spec), SCENARIO_TIMEOUT_MS, 'page.evaluate(fetch)');
  await settleLog(server);
  // Some servers log after writing the response, from another thread: allow a moment more.
  await sleep(30);
  // Read the log again later if it does not show what was expected (see `runScenario`).
  const handle = { result, end: undefined };
  handle.lines = () => server.lines.slice(start, handle.end).map((l) => LOG_LINE.exec(l)).filter((m) => m && !m[2].startsWith('/__marker/'))
    .map((m) => ({ method: m[1], path: m[2], origin: m[3], kind: m[4], verdict: m[5], reason: m[6] }));
  return handle;
}

function observe(s, { result, lines: readLog }) {
  const lines = readLog();
  const pre = lines.filter((l) => l.kind === 'preflight');
  const act = lines.filter((l) => l.kind === 'actual' && l.method === normalizeMethod(s.method));
  const o = { preflight: pre.length > 0, actual_sent: act.length > 0, ok: result.ok };
  o.model = result.ok ? 'accepts' : 'refuses';
  if (pre.length) o.preflight_reason = pre.map((l) => l.reason).join('+');
  if (act.length) o.actual_reason = act.map((l) => l.reason).join('+');
  if (result.ok) {
    o.status = result.status;
    o.readable = s.read.filter((n) => result.values[n] !== null).sort().join(',') || '-';
    // Values that are readable must be the application's.
    const wrong = [];
    if (result.values['X-Total-Count'] != null && result.values['X-Total-Count'] !== '42') wrong.push('X-Total-Count');
    if (result.values['X-Method'] != null && result.values['X-Method'] !== normalizeMethod(s.method)) {
      wrong.push(`X-Method=${result.values['X-Method']}`);
    }
    if (wrong.length) o.readable += ` (wrong value: ${wrong.join(' ')})`;
    if (s.path === '/vary' && result.values.Vary != null) {
      o.vary = result.values.Vary.split(',').map((t) => t.trim()).filter(Boolean).sort().join(',');
    }
    if (s.expectBody !== undefined) o.body = result.body;
  } else {
    o.error = result.error;
  }
  return o;
}

function differences(expected, observed) {
  const diffs = [];
  for (const k of Object.keys(expected)) {
    if (JSON.stringify(expected[k]) !== JSON.stringify(observed[k])) {
      diffs.push(`${k}: expected ${JSON.stringify(expected[k])}, observed ${JSON.stringify(observed[k])}`);
    }
  }
  return diffs;
}

function summary(e) {
  if (!e) return '?';
  const parts = [e.preflight ? `preflight(${e.preflight_reason ?? '-'})` : 'no preflight'];
  if (e.preflight && e.actual_sent === false) parts.push('not sent');
  parts.push(e.ok ? (e.status !== undefined ? `ok ${e.status} read=${e.readable}` : 'ok') : 'network error');
  if (e.vary) parts.push(`vary=${e.vary}`);
  if (e.body !== undefined) parts.push(`body=${JSON.stringify(e.body)}`);
  if (e.repeat_preflight !== undefined) parts.push(e.repeat_preflight ? 'again: preflight' : 'again: cached');
  return parts.join(', ');
}

// ---- main ---------------------------------------------------------------------------------------
async function main() {
  const opts = parseCommandLine(process.argv.slice(2),
    { values: ['oracle'], regexes: ['only'], servers: true, required: ['oracle', 'servers'] });
  const t0 = Date.now();
  const deadlineMs = Number(process.env.CORS_BROWSER_DEADLINE || 600) * 1000;
  const overall = setTimeout(() => {
    console.error(`\nFAIL: the run exceeded CORS_BROWSER_DEADLINE (${deadlineMs / 1000} s); stopping`);
    process.kill(process.pid, 'SIGTERM');
  }, deadlineMs);
  overall.unref();

  const facts = browserFacts.filter((f) => !opts.only || opts.only.test(f.id));
  const pageServer = await startPageServer(facts);
  const A = pageServer.address().port;
  const fill = (v) => v.replaceAll('{A1}', String(A + 1)).replaceAll('{A}', String(A));
  const pages = { ip: `http://127.0.0.1:${A}`, lh: `http://localhost:${A}`, sub: `http://app.localhost:${A}`,
    subsub: `http://a.app.localhost:${A}` };

  const selected = scenarios.filter((s) => !opts.only || opts.only.test(s.id))
    .map((s) => ({ ...s, policy: s.policy.map(fill) }));
  const invalid = invalidPolicies.filter((s) => !opts.only || opts.only.test(s.id))
    .map((s) => ({ ...s, policy: s.policy.map(fill) }));

  // Ask the library about every scenario (and each deviation's variant) in one go.
  const queries = [];
  for (const s of selected) {
    queries.push(oracleLine(s.id, s, pages[s.page]));
    const dev = s.deviations?.[opts.browser];
    if (dev?.behavesAs) queries.push(oracleLine(`${s.id}#as`, { ...s, ...dev.behavesAs }, pages[s.page]));
  }
  for (const s of invalid) queries.push(oracleLine(s.id, { ...s, method: 'GET', headers: [], credentials: 'omit', read: [], path: '/' }, pages.ip));
  const answers = await askOracle(opts.oracle, queries);

  const rows = [];
  const record = (row) => {
    rows.push(row);
    if (opts.verbose || !row.pass) {
      console.log(`${row.pass ? 'pass' : 'FAIL'} ${row.id} [${row.adapter}/${row.browser}]${row.diffs.length ? `\n    ${row.diffs.join('\n    ')}` : ''}`);
    }
  };

  // Policies the library refuses: every server must refuse them at startup with status 2.
  for (const { name, bin } of opts.servers) {
    for (const s of invalid) {
      const answer = answers.get(s.id);
      const r = await startServer(bin, s.policy);
      if (r.port) r.proc.kill('SIGKILL');
      const observed = r.port ? 'started' : `exit ${r.exitCode}`;
      const diffs = [];
      if (answer.valid !== false) diffs.push('the oracle (library) accepts this policy');
      if (observed !== 'exit 2') diffs.push(`expected exit 2, observed ${observed}`);
      record({ id: s.id, adapter: name, browser: '-', expected: 'refused: exit 2', observed, pass: !diffs.length, diffs, deviation: null });
    }
  }

  let browser;
  try {
    browser = await withTimeout(launchBrowser(opts), 90000, `launching ${opts.browser}`);
  } catch (e) {
    const exe = opts.browser === 'chromium' ? opts.chromium : opts.firefox;
    const diffs = [`${opts.browser} did not start: ${e.message.split('\n')[0]}`,
      `(executable: ${exe}; install with apt-get install chromium firefox-esr)`];
    record({ id: 'browser-start', adapter: '-', browser: opts.browser, expected: 'starts', observed: 'failed',
      pass: false, diffs, deviation: null, limitation: null });
    pageServer.close();
    return report(rows, `${opts.browser} (not started)`, selected, opts, t0);
  }
  browserHandle = browser;
  const browserVersion = browser.version;
  console.log(`${browserVersion}; page server http://127.0.0.1:${A}; ${selected.length} scenarios x ${opts.servers.length} adapters`);

  try {
    const openPages = {};
    const pageFor = async (kind) => {
      if (!openPages[kind]) {
        const p = await browser.newPage();
        await withTimeout(p.goto(`${pages[kind]}/`), 30000, `opening ${pages[kind]}`);
        openPages[kind] = p;
      }
      return openPages[kind];
    };

    let counter = 0;
    for (const { name, bin } of opts.servers) {
      const servers = new Map();
      const serverFor = async (policy) => {
        const key = JSON.stringify(policy);
        if (!servers.has(key)) {
          const s = await startServer(bin, policy);
          if (!s.port) throw new Error(`${name} refused the policy ${policy.join(' ')} (exit ${s.exitCode}): ${s.stderr.trim()}`);
          servers.set(key, s);
        }
        return servers.get(key);
      };

      // Warm-up: a fresh Firefox profile preflights the same cached request a few more times
      // (3 preflights in 3 fetches, measured with Firefox 153) before its cache answers; repeat
      // until a fetch goes out without a preflight.
      {
        const warm = await serverFor(['--origin', pages.ip, '--method', 'PUT', '--max-age', '600']);
        const page = await pageFor('ip');
        const spec = { method: 'PUT', headers: [], credentials: 'same-origin', read: [] };
        let preflights = 0;
        for (let i = 0; ; ++i) {
          const { result, lines } = await doFetch(page, warm, spec, `http://127.0.0.1:${warm.port}/warmup`);
          if (!result.ok) throw new Error(`warm-up fetch failed: ${result.error}`);
          if (!lines().some((l) => l.kind === 'preflight')) break;
          if (++preflights >= 10) throw new Error('warm-up: the preflight cache never answered in 10 fetches');
        }
        if (opts.verbose) console.log(`warm-up [${name}]: ${preflights} preflights before the cache answered`);
      }

      for (const s of selected) {
        const row = { id: s.id, adapter: name, browser: opts.browser, diffs: [], deviation: null, limitation: null };
        try {
          const answer = answers.get(s.id);
          if (!answer || answer.valid === false) throw new Error('the oracle (library) refuses this policy');
          const spec = expectation(answer, s);
          let expected = spec;
          const dev = s.deviations?.[opts.browser];
          if (dev) {
            expected = expectation(answers.get(`${s.id}#as`), s);
            row.deviation = { reason: dev.reason, spec: summary(spec) };
          }
          const limit = s.limits?.[name];
          if (limit) {
            expected = { ...expected, ...limit.observed };
            for (const k of Object.keys(expected)) if (expected[k] === null) delete expected[k];
            row.limitation = { reason: limit.reason, spec: summary(spec) };
            // The model judged the library's answer, which the framework did not send.
            if (limit.observed.ok !== undefined) expected.model = limit.observed.ok ? 'accepts' : 'refuses';
          }
          const server = await serverFor(s.policy);
          const page = await pageFor(s.page);
          const url = `http://127.0.0.1:${server.port}${s.path}?scenario=${encodeURIComponent(s.id)}&n=${++counter}`;
          const first = await doFetch(page, server, s, url);
          const second = s.repeat ? await doFetch(page, server, s, url, first) : null;
          const look = () => {
            const o = observe(s, first);
            if (second) o.repeat_preflight = second.lines().some((l) => l.kind === 'preflight');
            return o;
          };
          let observed = look();
          if (differences(expected, observed).length) {
            if (opts.verbose) console.log(`retry ${s.id}: ${differences(expected, observed).join("; ")}`);
            await sleep(500);  // a late log line, or a real difference
            observed = look();
          }
          row.expected = summary(expected);
          row.observed = summary(observed);
          row.diffs = differences(expected, observed);
          if (observed.error && row.diffs.length) row.diffs.push(`browser said: ${observed.error}`);
          if (dev && !differences(spec, observed).length) {
            row.diffs.push(`the browser now follows the spec here: remove the ${opts.browser} deviation`);
          }
          if (limit && !differences(spec, observed).length) {
            row.diffs.push(`the ${name} server now follows the library here: remove the limitation`);
          }
        } catch (e) {
          row.diffs.push(`harness error: ${e.message}`);
        }
        row.pass = row.diffs.length === 0;
        record(row);
      }
      for (const s of servers.values()) s.proc.kill('SIGTERM');
    }

    // Browser facts, once per browser: the page server answers them, not an example server.
    for (const f of facts) {
      const row = { id: f.id, adapter: '-', browser: opts.browser, diffs: [], deviation: null, limitation: null };
      try {
        const dev = f.deviations?.[opts.browser];
        const expected = dev ? { ...f.expected, ...dev.observed } : f.expected;
        if (dev) row.deviation = { reason: dev.reason, spec: summary(f.expected) };
        const observed = await runFact(await pageFor('lh'), pageServer, f,
          `http://127.0.0.1:${A}/fact/${f.id}?n=${++counter}`);
        row.expected = summary(expected);
        row.observed = summary(observed);
        row.diffs = differences(expected, observed);
        if (dev && !differences(f.expected, observed).length) {
          row.diffs.push(`the browser now follows the spec here: remove the ${opts.browser} deviation`);
        }
      } catch (e) {
        row.diffs.push(`harness error: ${e.message}`);
      }
      row.pass = row.diffs.length === 0;
      record(row);
    }
  } finally {
    await withTimeout(browser.close(), 15000, 'closing the browser').catch((e) => console.error(e.message));
    browserHandle = null;
    pageServer.close();
    pageServer.closeAllConnections();
    killChildren();
  }

  return report(rows, browserVersion, selected, opts, t0);
}

function report(rows, browserVersion, selected, opts, t0) {
  const w = (s, n) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
  console.log(`\n${w('scenario', 34)} ${w('adapter', 8)} ${w('browser', 9)} ${w('result', 9)} expected | observed`);
  for (const r of rows) {
    const result = r.pass ? `pass${r.deviation ? '*' : ''}${r.limitation ? '+' : ''}` : 'FAIL';
    const same = r.expected === r.observed;
    console.log(`${w(r.id, 34)} ${w(r.adapter, 8)} ${w(r.browser, 9)} ${w(result, 9)} ${r.expected}${same ? '' : ` | ${r.observed ?? '-'}`}`);
  }
  const devs = rows.filter((r) => r.deviation);
  if (devs.length) {
    console.log('\n* known browser deviations from the Fetch Standard (expected per the spec in brackets):');
    for (const r of devs) console.log(`  ${r.browser} ${r.id} [${r.adapter}]: ${r.observed} [spec: ${r.deviation.spec}] - ${r.deviation.reason}`);
  }
  const limits = rows.filter((r) => r.limitation);
  if (limits.length) {
    console.log('\n+ known server-framework limitations (the library\'s answer in brackets):');
    for (const r of limits) console.log(`  ${r.adapter} ${r.id} [${r.browser}]: ${r.observed} [library: ${r.deviation?.spec ?? r.limitation.spec}] - ${r.limitation.reason}`);
  }
  const passed = rows.filter((r) => r.pass).length;
  const failed = rows.length - passed;
  const browserRows = rows.filter((r) => r.browser !== '-' && r.adapter !== '-').length;
  const factRows = rows.filter((r) => r.adapter === '-').length;
  const startupRows = rows.filter((r) => r.browser === '-').length;
  console.log(`\n${browserVersion}: ${browserRows} scenario rows (${selected.length} scenarios x ${opts.servers.length} adapters), `
    + `${factRows} browser-fact rows, ${startupRows} startup rows, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

// model.js reuses the browser drivers.
module.exports = { launchBrowser, pageFetch };

if (require.main === module) {
  main().catch((e) => {
    console.error(`FAIL: ${e.stack || e.message}`);
    process.exitCode = 1;
    killChildren();
    if (browserHandle) browserHandle.close().catch(() => {});
  });
}
