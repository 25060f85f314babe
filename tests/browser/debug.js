#!/usr/bin/env node
'use strict';
// config::debug in real browsers: for each refusal kind, a page on http://127.0.0.1:A fetch()es
// from an example server started with and without --debug; the browser must refuse in both
// modes, and the console message it prints must be the one README's "Debugging CORS failures"
// table gives (rows between <!-- console-table:begin --> and <!-- console-table:end -->), so
// that the table stays true.
//
//   node debug.js --browser chromium|firefox --server PATH --readme PATH [--chromium PATH]
//                 [--firefox PATH] [--verbose]
//
// Firefox over WebDriver BiDi reports console API calls and script errors only, never its CORS
// messages: for Firefox the test checks the verdicts and that the README says so.

const fs = require('fs');
const http = require('http');
const { spawn } = require('child_process');
const { launchBrowser, pageFetch } = require('./run');
const { parseArgs, withTimeout, sleep } = require('./cli');

// The refusal kinds: the policy (the page's origin is {P}), and the fetch().
const kinds = [
  { reason: 'origin_not_allowed', what: 'actual GET', policy: ['--origin', 'https://other.example'], method: 'GET', headers: [] },
  { reason: 'origin_not_allowed', what: 'preflight', policy: ['--origin', 'https://other.example', '--method', 'PUT'], method: 'PUT', headers: [] },
  { reason: 'method_not_allowed', what: 'DELETE, PUT listed', policy: ['--origin', '{P}', '--method', 'PUT'], method: 'DELETE', headers: [] },
  { reason: 'method_not_allowed', what: '`patch`, `PATCH` listed', policy: ['--origin', '{P}', '--method', 'PATCH'], method: 'patch', headers: [] },
  { reason: 'header_not_allowed', what: 'X-B, X-A listed', policy: ['--origin', '{P}', '--method', 'PUT', '--header', 'X-A'], method: 'PUT', headers: [['X-A', '1'], ['X-B', '2']] },
  { reason: 'header_not_allowed', what: 'Authorization, `*` listed', policy: ['--origin', '{P}', '--header', '*'], method: 'GET', headers: [['Authorization', 'Bearer t']] },
];

function startServer(bin, args) {
  const proc = spawn(bin, ['--host', '127.0.0.1', '--port', '0', '--quiet', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    proc.stderr.on('data', (c) => { err += c; });
    proc.stdout.on('data', (c) => {
      out += c;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve({ proc, port: Number(m[1]) });
    });
    proc.on('exit', (code) => reject(new Error(`server exited with ${code}: ${err.trim()}`)));
  });
}

/** README rows: | reason | case | debug | Chromium console | Firefox console | fix | */
function readmeRows(file) {
  const text = fs.readFileSync(file, 'utf8');
  const m = /<!-- console-table:begin -->([\s\S]*?)<!-- console-table:end -->/.exec(text);
  if (!m) throw new Error(`${file}: no <!-- console-table:begin --> … end block`);
  return m[1].split('\n').filter((l) => l.startsWith('| `')).map((l) => {
    const cells = l.split(' | ').map((c) => c.replace(/^\| /, '').replace(/ \|$/, '').trim());
    const unquote = (c) => c.replace(/^`/, '').replace(/`$/, '');
    return { reason: unquote(cells[0]), what: cells[1], debug: cells[2], chromium: unquote(cells[3]), firefox: cells[4] };
  });
}

async function main() {
  const opts = parseArgs(process.argv.slice(2), { values: ['server', 'readme'], required: ['server', 'readme'] });
  const rows = readmeRows(opts.readme);
  const page = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html', 'Cache-Control': 'no-store' });
    res.end('<!doctype html><title>debug</title>');
  });
  await new Promise((r) => page.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${page.address().port}`;
  const browser = await withTimeout(launchBrowser(opts), 90000, `launching ${opts.browser}`);
  const failures = [];
  const servers = [];
  try {
    const p = await browser.newPage();
    const messages = [];
    p.on('console', (m) => messages.push(typeof m.text === 'function' ? m.text() : String(m.text)));
    await withTimeout(p.goto(`${origin}/`), 30000, 'opening the page');
    let n = 0;
    for (const k of kinds) {
      for (const debug of ['off', 'on']) {
        const args = k.policy.map((a) => a.replace('{P}', origin)).concat(debug === 'on' ? ['--debug'] : []);
        const s = await startServer(opts.server, args);
        servers.push(s.proc);
        const first = messages.length;
        const url = `http://127.0.0.1:${s.port}/debug?n=${++n}`;
        const result = await withTimeout(p.evaluate(pageFetch, { url, method: k.method, headers: k.headers,
          credentials: 'same-origin', read: [], timeoutMs: 8000 }), 15000, 'fetch');
        await sleep(100);
        s.proc.kill('SIGTERM');
        const prefix = `Access to fetch at '${url}' from origin '${origin}' has been blocked by CORS policy: `;
        const seen = messages.slice(first).filter((t) => !/^Failed to load resource/.test(t))
          .map((t) => (t.startsWith(prefix) ? t.slice(prefix.length) : t));
        const row = rows.find((r) => r.reason === k.reason && r.what === k.what && r.debug === debug);
        const label = `${k.reason} (${k.what}), debug ${debug}`;
        const problems = [];
        if (result.ok) problems.push('the browser accepted the response: debug must never grant what the policy refuses');
        if (!row) problems.push('no README row');
        else if (opts.browser === 'chromium' && (seen.length !== 1 || seen[0] !== row.chromium)) {
          problems.push(`console ${JSON.stringify(seen)}, README says ${JSON.stringify(row.chromium)}`);
        } else if (opts.browser === 'firefox' && seen.length !== 0) {
          problems.push(`Firefox reported ${JSON.stringify(seen)}: put it in the README's table`);
        }
        console.log(`${problems.length ? 'FAIL' : 'pass'} ${label}${opts.verbose || problems.length ? `: ${seen.join(' / ') || '(no console message)'}` : ''}`
          + (problems.length ? `\n    ${problems.join('\n    ')}` : ''));
        if (problems.length) failures.push(label);
      }
    }
  } finally {
    for (const s of servers) s.kill('SIGKILL');
    await withTimeout(browser.close(), 15000, 'closing the browser').catch(() => {});
    page.close();
  }
  console.log(`\n${browser.version}: ${kinds.length * 2 - failures.length} passed, ${failures.length} failed`);
  process.exitCode = failures.length ? 1 : 0;
}

main().catch((e) => {
  console.error(`FAIL: ${e.stack || e.message}`);
  process.exitCode = 1;
});
