#!/usr/bin/env node
'use strict';
// The browser model (cors/browser.hpp) against real browsers: a page on http://127.0.0.1:A
// fetch()es from a raw-socket server on http://127.0.0.1:B that answers with the exact header
// lines of each shape (shapes.js). The model (cors_browser_model) says what the browser sends
// and whether it accepts the answers; the browser's verdict, whether a preflight arrived and its
// Access-Control-Request-Method/-Headers must agree. The console messages each browser prints
// are recorded (--messages FILE writes them as JSON).
//
//   node model.js --browser chromium|firefox --model PATH [--chromium PATH] [--firefox PATH]
//                 [--only REGEX] [--verbose] [--messages FILE]
//
// Exit status 0 when every shape agrees (or departs as its `deviations` entry says); 1 otherwise.

const fs = require('fs');
const net = require('net');
const { spawn } = require('child_process');
const { launchBrowser, pageFetch } = require('./run');
const { parseArgs, withTimeout, sleep, startBlankPageServer } = require('./cli');
const { shapes } = require('./shapes');

const FETCH_TIMEOUT_MS = 8000;

/** The raw head a shape answers with, placeholders filled. */
function head(lines, origin) {
  const fill = (l) => l.replaceAll('{ORIGIN_UPPER_SCHEME}', origin.replace(/^http:/, 'HTTP:')).replaceAll('{ORIGIN}', origin);
  return `${lines.map(fill).join('\r\n')}\r\n`;
}

/**
 * The raw server: reads a request head, records it, and answers /shape/<id> with the shape's
 * bytes (then closes the connection, so no request body or keep-alive can confuse the next one).
 */
function startRawServer(origin) {
  const requests = [];
  const server = net.createServer((socket) => {
    let buf = '';
    socket.setEncoding('latin1');
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      buf += chunk;
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0 || socket.answered) return;
      socket.answered = true;
      const [requestLine, ...headerLines] = buf.slice(0, end).split('\r\n');
      const [method, target] = requestLine.split(' ');
      const headers = {};
      for (const l of headerLines) {
        const c = l.indexOf(':');
        headers[l.slice(0, c).trim().toLowerCase()] = l.slice(c + 1).trim();
      }
      const url = new URL(target, 'http://x');
      const id = url.pathname.startsWith('/shape/') ? decodeURIComponent(url.pathname.slice(7)) : null;
      requests.push({ method, path: url.pathname + url.search, headers });
      const shape = shapes.find((s) => s.id === id);
      const body = 'ok';
      const lines = shape ? (method === 'OPTIONS' ? shape.preflight ?? ['HTTP/1.1 405 Method Not Allowed'] : shape.actual)
        : ['HTTP/1.1 404 Not Found'];
      const preOrAct = method === 'OPTIONS' ? '' : body;
      socket.end(`${head(lines, origin)}Content-Length: ${preOrAct.length}\r\nConnection: close\r\n\r\n${preOrAct}`, 'latin1');
    });
  });
  server.requests = requests;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function askModel(bin, lines) {
  return new Promise((resolve, reject) => {
    const proc = spawn(bin, [], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (c) => { out += c; });
    proc.on('error', reject);
    proc.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`the model exited with ${code}`));
      const answers = new Map();
      for (const l of out.split('\n').filter(Boolean)) {
        const a = JSON.parse(l);
        answers.set(a.id, a);
      }
      resolve(answers);
    });
    proc.stdin.end(lines.map((l) => `${l}\n`).join(''));
  });
}

function modelLine(s, origin) {
  const enc = encodeURIComponent;
  const f = [`id=${enc(s.id)}`, `origin=${enc(origin)}`, `method=${enc(s.method)}`, `credentials=${enc(s.credentials)}`];
  for (const [n, v] of s.headers) f.push(`header=${enc(`${n}:${v}`)}`);
  // What the browser receives: the shape's lines and the two the server adds.
  const extra = (body) => `Content-Length: ${body.length}\r\nConnection: close\r\n`;
  if (s.preflight) f.push(`preflight=${enc(head(s.preflight, origin) + extra(''))}`);
  f.push(`actual=${enc(head(s.actual, origin) + extra('ok'))}`);
  return f.join('\t');
}

/** Console messages of one page, collected while a fetch runs. */
function collectConsole(page, browserName) {
  const messages = [];
  page.on('console', (m) => {
    const text = typeof m.text === 'function' ? m.text() : String(m.text);
    const type = typeof m.type === 'function' ? m.type() : m.type;
    messages.push({ type, text });
  });
  if (browserName === 'chromium') page.on('pageerror', (e) => messages.push({ type: 'pageerror', text: e.message }));
  return messages;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2), { values: ['model', 'messages'], regexes: ['only'], required: ['model'] });
  const selected = shapes.filter((s) => !opts.only || opts.only.test(s.id));
  const pageServer = await startBlankPageServer('cors-policy browser model test');
  const origin = `http://127.0.0.1:${pageServer.address().port}`;
  const raw = await startRawServer(origin);
  const B = raw.address().port;
  const answers = await askModel(opts.model, selected.map((s) => modelLine(s, origin)));

  const browser = await withTimeout(launchBrowser(opts), 90000, `launching ${opts.browser}`);
  const rows = [];
  const captured = [];
  try {
    const page = await browser.newPage();
    const messages = collectConsole(page, opts.browser);
    await withTimeout(page.goto(`${origin}/`), 30000, `opening ${origin}`);
    let n = 0;
    for (const s of selected) {
      const row = { id: s.id, diffs: [] };
      try {
        const m = answers.get(s.id);
        if (!m || m.error) throw new Error(`model: ${m ? m.error : 'no answer'}`);
        const path = `/shape/${encodeURIComponent(s.id)}?n=${++n}`;
        const before = raw.requests.length;
        const firstMessage = messages.length;
        const result = await withTimeout(page.evaluate(pageFetch, {
          url: `http://127.0.0.1:${B}${path}`, method: s.method, headers: s.headers, credentials: s.credentials,
          read: [], timeoutMs: FETCH_TIMEOUT_MS,
        }), FETCH_TIMEOUT_MS + 5000, 'page.evaluate(fetch)');
        await sleep(opts.browser === 'firefox' ? 150 : 50);  // let the console message arrive
        const seen = raw.requests.slice(before).filter((r) => r.path === path);
        const pre = seen.find((r) => r.method === 'OPTIONS');
        const observed = {
          accepted: result.ok,
          preflight: !!pre,
          acrm: pre ? pre.headers['access-control-request-method'] ?? null : null,
          acrh: pre ? pre.headers['access-control-request-headers'] ?? null : null,
        };
        const expected = { accepted: m.accepted, preflight: m.preflight, acrm: m.acrm, acrh: m.acrh };
        const dev = s.deviations?.[opts.browser];
        const want = dev ? { ...expected, accepted: dev.accepted } : expected;
        for (const k of Object.keys(want)) {
          if (want[k] !== observed[k]) row.diffs.push(`${k}: model ${JSON.stringify(want[k])}, ${opts.browser} ${JSON.stringify(observed[k])}`);
        }
        if (dev && dev.accepted === m.accepted) row.diffs.push('the deviation entry says what the model says: remove it');
        if (dev && observed.accepted === m.accepted) row.diffs.push(`${opts.browser} now agrees with the model: remove the deviation`);
        row.summary = `model ${m.accepted ? 'accepts' : `refuses (${m.step})`}; ${opts.browser} ${result.ok ? 'accepts' : 'refuses'}`
          + (dev ? ' [known departure]' : '');
        const console = messages.slice(firstMessage).map((x) => x.text).filter((t) => !/^Failed to load resource/.test(t));
        captured.push({ id: s.id, step: m.step, detail: m.detail, accepted: result.ok, messages: console });
        if (opts.verbose) row.console = console;
      } catch (e) {
        row.diffs.push(`harness error: ${e.message}`);
      }
      row.pass = row.diffs.length === 0;
      rows.push(row);
      console.log(`${row.pass ? 'pass' : 'FAIL'} ${row.id}: ${row.summary ?? ''}${row.diffs.length ? `\n    ${row.diffs.join('\n    ')}` : ''}`
        + (row.console?.length ? `\n    console: ${row.console.join('\n    console: ')}` : ''));
    }
  } finally {
    await withTimeout(browser.close(), 15000, 'closing the browser').catch((e) => console.error(e.message));
    pageServer.close();
    raw.close();
  }
  if (opts.messages) fs.writeFileSync(opts.messages, `${JSON.stringify({ browser: browser.version, shapes: captured }, null, 1)}\n`);
  const failed = rows.filter((r) => !r.pass).length;
  console.log(`\n${browser.version}: ${rows.length} shapes, ${rows.length - failed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  console.error(`FAIL: ${e.stack || e.message}`);
  process.exitCode = 1;
});
