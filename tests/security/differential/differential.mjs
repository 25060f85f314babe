// Differential test: the library's origin parsing against the WHATWG URL parser (Node's `URL`).
//
//   node differential.mjs <origin_verdict executable> <expectations file>
//
// Generates a corpus of origin strings, computes `new URL(x).origin` for each, asks the library
// (origin_verdict) for its request-side and config-side verdicts, and compares:
//  * HARD RULE (never listable): when the library accepts x as a request Origin or as an exact
//    origin pattern, the URL parser must serialize x's origin as exactly x. For schemes whose URL
//    origin is opaque (file: and non-special schemes such as chrome-extension:, which browsers
//    still send as tuple origins and Fetch's ABNF allows) the host and port are checked by the URL
//    parser under a special scheme instead.
//  * Every other difference (the URL parser serializes x as x, or accepts it, but the library
//    refuses) must match a rule of the expectations file, which gives the reason; a rule that
//    matches nothing is stale and fails the test too.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const [verdictExe, expectationsPath] = process.argv.slice(2);
if (!verdictExe || !expectationsPath) {
  console.error('usage: node differential.mjs <origin_verdict> <expectations>');
  process.exit(2);
}

// ---- corpus -------------------------------------------------------------------------------
const schemes = ['https', 'http', 'wss', 'ws', 'ftp', 'HTTPS', 'Http', 'file', 'foo', 'chrome-extension',
  'moz-extension', 'h+t.t-p', '1http', 'ht_tp', ''];
const hosts = [
  'a.example', 'A.EXAMPLE', 'a.Example', 'a.example.', 'a.example..', '.a.example', 'a..example', 'a_b.example',
  '_a.example', 'a-b.example', '-a.example', 'a-.example', 'a--b.example', 'xn--53h.example', 'XN--53H.example',
  'xn--a.example', 'xn--.example', '\u2615.example', '\u00c4.example', 'a.\uff45xample', 'a\u3002example',
  'localhost', 'LOCALHOST', 'localhost.', 'sub.localhost', '1.example', 'a.1', 'a.0x1', 'a.0X1', 'a.09', 'example.123',
  'a%2eexample', '%61.example', 'a%00.example', 'a b.example', 'a\tb.example', 'a\\b.example', 'a/b.example',
  'user@a.example', 'user:pw@a.example', '@a.example', 'a.example@evil.example', 'a.example%40evil.example',
  '127.0.0.1', '0.0.0.0', '255.255.255.255', '256.0.0.1', '127.1', '127.0.1', '0x7f.0.0.1', '0x7F.0.0.1',
  '0177.0.0.1', '127.0.0.01', '2130706433', '0x7f000001', '127.0.0.1.', '1.2.3.4.5', '01.2.3.4', '1.2.3.0x4',
  '[::1]', '[::]', '[0:0:0:0:0:0:0:1]', '[::0001]', '[0::1]', '[::FFFF:7f00:1]', '[::ffff:7f00:1]',
  '[::ffff:127.0.0.1]', '[::127.0.0.1]', '[2001:db8::1]', '[2001:DB8::1]', '[2001:db8:0:0:1:0:0:1]',
  '[2001:db8::1:0:0:1]', '[2001:db8:0:0:0:0:2:1]', '[2001:db8::2:1]', '[1:2:3:4:5:6:7:8]', '[1:2:3:4:5:6:7::]',
  '[1::]', '[fe80::1%25eth0]', '[::1', '::1', '[[::1]]', '[::1]x', '[1:2:3:4:5:6:7:8:9]', '[g::1]',
  'a'.repeat(63) + '.example', 'a'.repeat(64) + '.example', ('a'.repeat(50) + '.').repeat(5) + 'example',
  'a'.repeat(600) + '.example', '',
];
const ports = ['', ':443', ':80', ':21', ':8443', ':0', ':1', ':65535', ':65536', ':0443', ':080', ':', ':+1',
  ':1e3', ':99999999999', ':8443:1'];
const tails = ['', '/', '/path', '?q', '#f', '/?#'];

const inputs = new Set();
for (const s of schemes) for (const h of hosts) for (const p of ports) inputs.add(`${s}://${h}${p}`);
for (const s of ['https', 'http', 'foo']) for (const h of ['a.example', '[::1]', '127.0.0.1']) {
  for (const p of ['', ':8443']) for (const t of tails) inputs.add(`${s}://${h}${p}${t}`);
}
for (const x of ['null', 'Null', 'NULL', ' null', 'null ', '*', 'https://*.a.example', 'https://a.example:*',
  ' https://a.example', 'https://a.example ', '\thttps://a.example', 'https://a.example\n', 'https://a.example\r\n',
  'https:\\\\a.example', 'https:/\\a.example', 'https:/a.example', 'https:a.example', 'https:///a.example',
  'https:////a.example', '//a.example', 'a.example', 'https//a.example', 'https:// a.example', 'https://a.example\u0000',
  'https://a.example\u007f', 'https://a.exa\u00admple', 'https://a.example\u200b', 'blob:https://a.example',
  'data:text/plain,x', 'javascript:alert(1)', 'https://a.example:443/', 'HTTPS://A.EXAMPLE:443/PATH',
  'http://[::1]:80', 'wss://a.example:443', 'ws://a.example:80', 'https://' + 'a.'.repeat(300) + 'example']) {
  inputs.add(x);
}
const corpus = [...inputs];

// ---- WHATWG URL verdicts ------------------------------------------------------------------
const special = new Set(['http', 'https', 'ws', 'wss', 'ftp']);
function urlOrigin(x) {
  try {
    return new URL(x).origin;
  } catch {
    return undefined;
  }
}
/// Is x exactly the serialization of its own origin? For opaque-origin schemes, checks the host
/// and port under a special scheme whose default port differs from x's port.
function serializesToItself(x) {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/s.exec(x);
  if (m && !special.has(m[1])) {
    const port = /:(\d+)$/.exec(m[2]);
    const stand_in = port && port[1] === '443' ? 'http' : 'https';
    const y = `${stand_in}://${m[2]}`;
    return { opaque: true, ok: urlOrigin(y) === y, parses: urlOrigin(y) !== undefined };
  }
  const o = urlOrigin(x);
  return { opaque: false, ok: o === x, parses: o !== undefined, origin: o };
}

// ---- library verdicts ---------------------------------------------------------------------
const hex = corpus.map((x) => Buffer.from(x, 'utf8').toString('hex')).join('\n') + '\n';
const run = spawnSync(verdictExe, [], { input: hex, maxBuffer: 1 << 26 });
if (run.status !== 0) {
  console.error(`origin_verdict failed: ${run.stderr}`);
  process.exit(1);
}
const verdicts = run.stdout.toString().trimEnd().split('\n').map((l) => l.split('\t'));
if (verdicts.length !== corpus.length) {
  console.error(`expected ${corpus.length} verdicts, got ${verdicts.length}`);
  process.exit(1);
}

// ---- expectations -------------------------------------------------------------------------
// Lines: `<side>\t<regex over the JSON-quoted input>\t<reason>`; side is `request`, `pattern` or
// `both`; `#` starts a comment.
const rules = readFileSync(expectationsPath, 'utf8').split('\n')
  .filter((l) => l.trim() && !l.startsWith('#'))
  .map((l) => {
    const [side, re, reason] = l.split('\t');
    if (!reason) throw new Error(`bad expectations line: ${l}`);
    return { side, re: new RegExp(re), reason, hits: 0 };
  });
function explain(side, x) {
  const q = JSON.stringify(x);
  for (const r of rules) {
    if ((r.side === side || r.side === 'both') && r.re.test(q)) {
      r.hits++;
      return r;
    }
  }
  return undefined;
}

const hard = [];
const unlisted = [];
const listed = new Map();
let acceptedRequest = 0;
let acceptedPattern = 0;
corpus.forEach((x, i) => {
  const [req, pat] = verdicts[i];
  const url = serializesToItself(x);
  const q = JSON.stringify(x);
  // Request side.
  if (req === 'ok') {
    acceptedRequest++;
    if (!url.ok) {
      // Accepted but the URL parser serializes it differently: a hard failure, unless the URL
      // parser rejects the host outright and a rule explains why (no serialization to differ from).
      const r = !url.parses && explain('request', x);
      if (r) listed.set(`${r.reason}`, [...(listed.get(r.reason) ?? []), `request accepts ${q} (URL: failure)`]);
      else hard.push(`request side accepts ${q} but the URL origin is ${JSON.stringify(url.origin)}`);
    }
  } else if (req === 'null') {
    if (x !== 'null') hard.push(`request side says null for ${q}`);
  } else if (url.ok && !url.opaque) {
    const r = explain('request', x);
    if (r) listed.set(r.reason, [...(listed.get(r.reason) ?? []), `request refuses ${q}`]);
    else unlisted.push(`request side refuses ${q}, which the URL parser serializes as itself`);
  }
  // Config side: exact patterns must denote what a browser sends.
  if (pat === 'exact') {
    acceptedPattern++;
    if (!url.ok) {
      const r = !url.parses && explain('pattern', x);
      if (r) listed.set(r.reason, [...(listed.get(r.reason) ?? []), `pattern accepts ${q} (URL: failure)`]);
      else hard.push(`config side accepts ${q} as an exact origin but the URL origin is ${JSON.stringify(url.origin)}`);
    }
    if (req !== 'ok') hard.push(`config side accepts ${q} but the request side would never match it`);
  } else if (url.ok && !url.opaque && !['any', 'null', 'any_port', 'subdomains'].includes(pat)) {
    const r = explain('pattern', x);
    if (r) listed.set(r.reason, [...(listed.get(r.reason) ?? []), `pattern refuses ${q} (${pat})`]);
    else unlisted.push(`config side refuses ${q} (${pat}), which the URL parser serializes as itself`);
  }
});

console.log(`differential: ${corpus.length} inputs; request side accepts ${acceptedRequest}, ` +
  `config side accepts ${acceptedPattern} as exact origins`);
for (const [reason, cases] of listed) {
  console.log(`expected difference (${cases.length}): ${reason}`);
  for (const c of cases.slice(0, 3)) console.log(`    e.g. ${c}`);
}
const stale = rules.filter((r) => r.hits === 0);
for (const s of stale) console.log(`STALE expectation (matches nothing): ${s.side} ${s.re}`);
for (const h of hard) console.log(`HARD FAILURE: ${h}`);
for (const u of unlisted) console.log(`UNLISTED DIFFERENCE: ${u}`);
process.exit(hard.length || unlisted.length || stale.length ? 1 : 0);
