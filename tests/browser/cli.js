'use strict';
// What the browser drivers (run.js, guards.js, model.js, debug.js) share: their command line, the
// timeouts they put around a browser's promises, and a page server with one blank page.

const http = require('http');

/**
 * Reads a driver's command line. Every driver takes --browser chromium|firefox (required),
 * --chromium PATH, --firefox PATH and --verbose; its own options are named in the second argument:
 *   values:  names of `--NAME VALUE` options (opts.NAME = VALUE)
 *   regexes: names of `--NAME REGEX` options (opts.NAME = new RegExp(REGEX))
 *   servers: true for repeatable `--server NAME=PATH` options (opts.servers = [{name, bin}])
 *   required: names that must be given ('servers': at least one --server)
 * Throws an Error naming the first problem.
 */
function parseArgs(argv, { values = [], regexes = [], servers = false, required = [] } = {}) {
  const opts = { chromium: '/usr/bin/chromium', firefox: '/usr/bin/firefox-esr', verbose: false };
  if (servers) opts.servers = [];
  const valueNames = ['browser', 'chromium', 'firefox', ...values];
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    const name = a.startsWith('--') ? a.slice(2) : '';
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`missing value after ${a}`);
      return argv[++i];
    };
    if (a === '--verbose') opts.verbose = true;
    else if (valueNames.includes(name)) opts[name] = next();
    else if (regexes.includes(name)) opts[name] = new RegExp(next());
    else if (servers && a === '--server') {
      const v = next();
      const eq = v.indexOf('=');
      if (eq < 1) throw new Error(`--server wants NAME=PATH, got ${v}`);
      opts.servers.push({ name: v.slice(0, eq), bin: v.slice(eq + 1) });
    } else throw new Error(`unknown option ${a}`);
  }
  if (!['chromium', 'firefox'].includes(opts.browser)) throw new Error('--browser chromium|firefox is required');
  for (const r of required) {
    if (r === 'servers' && opts.servers.length === 0) throw new Error('at least one --server NAME=PATH is required');
    if (r !== 'servers' && !opts[r]) throw new Error(`--${r} PATH is required`);
  }
  return opts;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `promise`, or a rejection naming `what` once `ms` milliseconds have passed. */
function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms); }),
  ]).finally(() => clearTimeout(timer));
}

/** A page server on 127.0.0.1 (reached as localhost or 127.0.0.1) with one blank page, titled
 * `title`, for every path. Resolves once it listens. */
function startBlankPageServer(title) {
  const server = http.createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(`<!doctype html><meta charset="utf-8"><title>${title}</title><p>page`);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

module.exports = { parseArgs, sleep, withTimeout, startBlankPageServer };
