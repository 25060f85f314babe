'use strict';
// The scenarios: a policy (the example servers' command line), the page that fetches, and the
// fetch() it runs. What the browser must do is not written here: the oracle (the library) says it.
// A browser that knowingly departs from the Fetch Standard gets a `deviations` entry: the fields
// it observably differs on, and why. Placeholders: {A} is the page server's port, {A1} is A + 1.
//
// Pages: ip = http://127.0.0.1:{A}, lh = http://localhost:{A}, sub = http://app.localhost:{A},
// subsub = http://a.app.localhost:{A} (both browsers resolve *.localhost to loopback).

const IP = 'http://127.0.0.1:{A}';

// The usual policy: the page's exact origin, three methods (one lowercase), two request headers.
const base = ['--origin', IP, '--method', 'PUT', '--method', 'DELETE', '--method', 'patch',
  '--header', 'X-Custom', '--header', 'Content-Type', '--expose', 'X-Total-Count'];
const withCredentials = [...base, '--credentials'];
// Content-Type is a CORS-safelisted response header, always readable (when the body is not empty).
const READ = ['X-Total-Count', 'X-Secret', 'Content-Type'];
const long = (n, c = 'a') => c.repeat(n);

// cpp-httplib (0.11, Debian 12) answers 400 itself to a method outside its fixed list (GET HEAD
// POST PUT DELETE OPTIONS PATCH …): the adapter never sees the request, so the 400 has no CORS
// headers and the browser reports a network error after a successful preflight.
// Pistache (0.0.5, Debian) does the same for a method outside its nine, compared case-sensitively
// (OPTIONS GET POST HEAD PUT PATCH DELETE TRACE CONNECT).
const NOT_SEEN = { actual_sent: false, ok: false, actual_reason: null, status: null, readable: null };
const HTTPLIB_METHODS = {
  httplib: {
    observed: NOT_SEEN,
    reason: 'cpp-httplib rejects methods outside its fixed list with 400 before the adapter runs',
  },
  pistache: {
    observed: NOT_SEEN,
    reason: 'Pistache 0.0.5 rejects methods outside its fixed, case-sensitive list with 400 before the adapter runs',
  },
};
// Pistache (0.0.5) parses Accept as media ranges and answers 415 itself to a value it cannot
// parse: the adapter never sees the request, so the 415 has no CORS headers.
const PISTACHE_ACCEPT = {
  pistache: {
    observed: NOT_SEEN,
    reason: 'Pistache 0.0.5 answers 415 to an Accept that is not a media-range list, before the adapter runs',
  },
};

// RESTinio (0.6.16) parses requests with http-parser, whose methods are a fixed list of uppercase
// names (PURGE is on it): a lowercase `patch` is a parse error, and RESTinio closes the connection
// without an answer, before any handler runs. The preflight (OPTIONS) is answered as usual.
const RESTINIO_LOWERCASE_METHOD = {
  restinio: {
    observed: NOT_SEEN,
    reason: 'RESTinio\'s http-parser rejects a lowercase method and closes the connection before any handler runs',
  },
};

const CLIENT_HINT_REASON =
  'Chromium still safelists the client hints Fetch removed in 2019 (valid values go without a preflight)';

function hint(name, value) {
  return {
    id: `client-hint-${name.toLowerCase()}`,
    title: `${name}: ${value} is not CORS-safelisted, so it is preflighted (and refused)`,
    policy: base, method: 'GET', headers: [[name, value]],
    // Chromium sends the header without a preflight, as if it were not there at all.
    deviations: { chromium: { behavesAs: { headers: [] }, reason: CLIENT_HINT_REASON } },
  };
}

/** @type {Array<object>} */
const scenarios = [
  // ---- Origins: exact, port wildcard, subdomain wildcard, and each near miss -----------------
  { id: 'origin-exact', title: 'exact origin: a simple GET is shared', policy: base },
  { id: 'origin-exact-other-host', title: 'exact 127.0.0.1 origin does not match localhost', page: 'lh', policy: base },
  { id: 'origin-exact-other-port', title: 'exact origin on port A+1 does not match port A',
    policy: ['--origin', 'http://127.0.0.1:{A1}'] },
  { id: 'origin-exact-https', title: 'https:// pattern does not match the http:// page',
    policy: ['--origin', 'https://127.0.0.1:{A}'] },
  { id: 'origin-exact-preflight', title: 'exact origin: a preflighted PUT is allowed', policy: base, method: 'PUT' },
  { id: 'origin-exact-preflight-miss', title: 'preflight from a refused origin gets 403, the PUT is never sent',
    page: 'lh', policy: base, method: 'PUT' },
  { id: 'origin-port-wildcard', title: 'http://127.0.0.1:* matches any port',
    policy: ['--origin', 'http://127.0.0.1:*', '--expose', 'X-Total-Count'] },
  { id: 'origin-port-wildcard-preflight', title: 'http://127.0.0.1:* allows a preflighted DELETE',
    policy: ['--origin', 'http://127.0.0.1:*', '--method', 'DELETE'], method: 'DELETE' },
  { id: 'origin-port-wildcard-other-host', title: 'http://localhost:* does not match 127.0.0.1',
    policy: ['--origin', 'http://localhost:*'] },
  { id: 'origin-port-wildcard-localhost', title: 'http://localhost:* matches http://localhost:A', page: 'lh',
    policy: ['--origin', 'http://localhost:*'] },
  { id: 'origin-port-wildcard-scheme', title: 'https://127.0.0.1:* does not match http://',
    policy: ['--origin', 'https://127.0.0.1:*'] },
  { id: 'origin-port-wildcard-subdomain', title: 'http://localhost:* does not match app.localhost', page: 'sub',
    policy: ['--origin', 'http://localhost:*'] },
  { id: 'origin-subdomain', title: 'http://*.localhost:* matches app.localhost', page: 'sub',
    policy: ['--origin', 'http://*.localhost:*'] },
  { id: 'origin-subdomain-deep', title: 'http://*.localhost:* matches a.app.localhost (several labels)',
    page: 'subsub', policy: ['--origin', 'http://*.localhost:*'] },
  { id: 'origin-subdomain-apex', title: 'http://*.localhost:* does not match the apex localhost', page: 'lh',
    policy: ['--origin', 'http://*.localhost:*'] },
  { id: 'origin-subdomain-ip', title: 'http://*.localhost:* does not match 127.0.0.1',
    policy: ['--origin', 'http://*.localhost:*'] },
  { id: 'origin-subdomain-port', title: 'http://*.localhost:A matches app.localhost:A', page: 'sub',
    policy: ['--origin', 'http://*.localhost:{A}'] },
  { id: 'origin-subdomain-port-miss', title: 'http://*.localhost:A+1 does not match app.localhost:A', page: 'sub',
    policy: ['--origin', 'http://*.localhost:{A1}'] },
  { id: 'origin-subdomain-default-port', title: 'http://*.localhost (port 80) does not match app.localhost:A',
    page: 'sub', policy: ['--origin', 'http://*.localhost'] },
  { id: 'origin-subdomain-nested-apex', title: 'http://*.app.localhost:* does not match app.localhost itself',
    page: 'sub', policy: ['--origin', 'http://*.app.localhost:*'] },
  { id: 'origin-subdomain-nested', title: 'http://*.app.localhost:* matches a.app.localhost', page: 'subsub',
    policy: ['--origin', 'http://*.app.localhost:*'] },
  { id: 'origin-subdomain-preflight', title: 'a wildcard-subdomain origin passes a preflight with credentials',
    page: 'sub', policy: ['--origin', 'http://*.localhost:*', '--method', 'PUT', '--credentials'],
    method: 'PUT', credentials: 'include' },
  { id: 'origin-list', title: 'the second of several origins matches', page: 'lh',
    policy: ['--origin', 'http://127.0.0.1:{A1}', '--origin', 'http://localhost:{A}'] },

  // ---- Any origin and credentials ---------------------------------------------------------
  { id: 'any-origin', title: '* shares a simple GET with any origin', page: 'lh', policy: ['--origin', '*'] },
  { id: 'any-origin-preflight', title: '* allows a preflighted PUT', policy: ['--origin', '*', '--method', 'PUT'],
    method: 'PUT' },
  { id: 'any-origin-include', title: '* refuses a credentials: include fetch (ACAO * is not enough)',
    policy: ['--origin', '*'], credentials: 'include' },
  { id: 'any-origin-omit', title: '* with credentials: omit is shared', policy: ['--origin', '*'], credentials: 'omit' },
  { id: 'credentials-include', title: 'exact origin + credentials: a credentialed GET is shared',
    policy: withCredentials, credentials: 'include' },
  { id: 'credentials-missing', title: 'without --credentials a credentialed GET is refused (no ACAC)',
    policy: base, credentials: 'include' },
  { id: 'credentials-preflight', title: 'credentialed PUT with a custom header passes the preflight',
    policy: withCredentials, method: 'PUT', headers: [['X-Custom', '1']], credentials: 'include' },
  { id: 'credentials-uncredentialed', title: 'a credentials policy also serves uncredentialed fetches',
    policy: withCredentials, method: 'PUT', credentials: 'omit' },

  // ---- Methods ------------------------------------------------------------------------------
  { id: 'method-put', title: 'configured PUT is allowed', policy: base, method: 'PUT' },
  { id: 'method-delete', title: 'configured DELETE is allowed', policy: base, method: 'DELETE' },
  { id: 'method-delete-lowercase', title: 'fetch() uppercases delete; configured DELETE allows it',
    policy: [...base, '--expose', 'X-Method'], method: 'delete', read: ['X-Method'] },
  { id: 'method-patch-lowercase', title: 'lowercase patch is sent as is and allowed by configured patch',
    policy: [...base, '--expose', 'X-Method'], method: 'patch', body: 'x', read: ['X-Method'],
    limits: { ...HTTPLIB_METHODS, ...RESTINIO_LOWERCASE_METHOD } },
  { id: 'method-patch-config-uppercase-ok', title: 'configured PATCH allows PATCH',
    policy: ['--origin', IP, '--method', 'PATCH', '--expose', 'X-Method'], method: 'PATCH', body: 'x',
    read: ['X-Method'] },
  // fetch() sends `Content-Length: 0` only for a bodyless POST or PUT (#http-network-or-cache-fetch).
  { id: 'method-patch-no-body', title: 'PATCH without a body (no Content-Length) is allowed',
    policy: ['--origin', IP, '--method', 'PATCH', '--expose', 'X-Method'], method: 'PATCH', read: ['X-Method'],
    limits: {
      httplib: {
        observed: { status: 400, readable: '-' },
        reason: 'cpp-httplib answers 400 to a PATCH without Content-Length (a zero-length body per RFC 9112); '
          + 'the adapter still adds the CORS headers, so the 400 is readable',
      },
    } },
  { id: 'method-patch-uppercase', title: 'PATCH is not patch: refused', policy: base, method: 'PATCH' },
  { id: 'method-patch-config-uppercase', title: 'configured PATCH does not allow lowercase patch',
    policy: ['--origin', IP, '--method', 'PATCH'], method: 'patch' },
  { id: 'method-config-lowercase-put', title: 'configured put means PUT (normalized)',
    policy: ['--origin', IP, '--method', 'put'], method: 'PUT' },
  { id: 'method-unlisted', title: 'PUT not configured: the preflight is refused',
    policy: ['--origin', IP, '--method', 'DELETE'], method: 'PUT' },
  { id: 'method-custom-unlisted', title: 'custom method PURGE not configured: refused', policy: base, method: 'PURGE' },
  { id: 'method-any', title: '--method * allows PURGE (ACAM *)', policy: ['--origin', IP, '--method', '*'],
    method: 'PURGE', limits: HTTPLIB_METHODS },
  { id: 'method-any-credentials', title: '--method * with credentials echoes PURGE',
    policy: ['--origin', IP, '--method', '*', '--credentials'], method: 'PURGE', credentials: 'include',
    limits: HTTPLIB_METHODS },
  { id: 'method-any-credentials-put', title: '--method * with credentials echoes PUT',
    policy: ['--origin', IP, '--method', '*', '--credentials'], method: 'PUT', credentials: 'include' },
  { id: 'method-options', title: 'OPTIONS as the actual method needs configuring', policy: base, method: 'OPTIONS' },
  { id: 'method-head', title: 'HEAD is safelisted: no preflight', policy: ['--origin', IP], method: 'HEAD',
    read: ['X-Total-Count'] },
  { id: 'method-post-text', title: 'POST text/plain is safelisted: no preflight even with no methods configured',
    policy: ['--origin', IP], method: 'POST', headers: [['Content-Type', 'text/plain']], body: 'x' },

  // ---- Request headers ----------------------------------------------------------------------
  { id: 'header-listed', title: 'X-Custom listed: allowed', policy: base, headers: [['X-Custom', '1']] },
  { id: 'header-case', title: 'header names compare case-insensitively',
    policy: ['--origin', IP, '--header', 'X-CUSTOM'], headers: [['x-custom', '1']] },
  { id: 'header-unlisted', title: 'X-Other not listed: refused', policy: base, headers: [['X-Other', '1']] },
  { id: 'header-one-unlisted', title: 'one listed and one unlisted header: refused', policy: base,
    headers: [['X-Custom', '1'], ['X-Other', '1']] },
  { id: 'header-two-listed', title: 'two listed headers: allowed',
    policy: ['--origin', IP, '--header', 'X-Custom', '--header', 'X-Other'],
    headers: [['X-Custom', '1'], ['X-Other', '2']] },
  { id: 'header-any', title: '--header * allows X-Other', policy: ['--origin', IP, '--header', '*'],
    headers: [['X-Other', '1']] },
  { id: 'header-any-authorization', title: '--header * does not cover Authorization: refused (browsers would allow it)',
    policy: ['--origin', IP, '--header', '*'], headers: [['Authorization', 'Bearer t']] },
  { id: 'header-any-plus-authorization', title: '--header * --header Authorization allows Authorization',
    policy: ['--origin', IP, '--header', '*', '--header', 'Authorization'],
    headers: [['Authorization', 'Bearer t'], ['X-Other', '1']] },
  { id: 'header-authorization-listed', title: 'Authorization listed by name: allowed',
    policy: ['--origin', IP, '--header', 'Authorization'], headers: [['Authorization', 'Bearer t']] },
  { id: 'header-any-credentials', title: '--header * with credentials echoes the requested names',
    policy: ['--origin', IP, '--header', '*', '--credentials'], headers: [['X-Other', '1'], ['X-Custom', '2']],
    credentials: 'include' },

  // ---- Content-Type and the other safelisted request headers --------------------------------
  { id: 'ct-form', title: 'application/x-www-form-urlencoded: no preflight', policy: ['--origin', IP],
    method: 'POST', headers: [['Content-Type', 'application/x-www-form-urlencoded']], body: 'a=1' },
  { id: 'ct-multipart', title: 'multipart/form-data; boundary=x: no preflight', policy: ['--origin', IP],
    method: 'POST', headers: [['Content-Type', 'multipart/form-data; boundary=x']],
    body: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n' },
  { id: 'ct-text-charset', title: 'text/plain;charset=UTF-8: no preflight', policy: ['--origin', IP],
    method: 'POST', headers: [['Content-Type', 'text/plain;charset=UTF-8']], body: 'x' },
  { id: 'ct-json-unlisted', title: 'application/json with Content-Type not listed: refused',
    policy: ['--origin', IP], method: 'POST', headers: [['Content-Type', 'application/json']], body: '{}' },
  { id: 'ct-json-listed', title: 'application/json with Content-Type listed: allowed', policy: base,
    method: 'POST', headers: [['Content-Type', 'application/json']], body: '{}' },
  { id: 'ct-html', title: 'text/html is not safelisted: refused without Content-Type listed',
    policy: ['--origin', IP], method: 'POST', headers: [['Content-Type', 'text/html']], body: 'x' },
  { id: 'ct-unsafe-byte', title: 'a CORS-unsafe byte (") makes text/plain preflighted',
    policy: ['--origin', IP], method: 'POST', headers: [['Content-Type', 'text/plain; a="b"']], body: 'x' },
  { id: 'ct-too-long', title: 'text/plain longer than 128 bytes is preflighted',
    policy: ['--origin', IP], method: 'POST', headers: [['Content-Type', `text/plain; x=${long(120)}`]], body: 'x' },
  { id: 'accept-plain', title: 'Accept: application/json is safelisted', policy: ['--origin', IP],
    headers: [['Accept', 'application/json']] },
  { id: 'accept-129', title: 'Accept of 129 bytes is preflighted (refused)', policy: ['--origin', IP],
    headers: [['Accept', long(129)]] },
  { id: 'accept-128', title: 'Accept of exactly 128 bytes is still safelisted', policy: ['--origin', IP],
    headers: [['Accept', long(128)]], limits: PISTACHE_ACCEPT },
  { id: 'accept-129-listed', title: 'Accept of 129 bytes with Accept listed: preflight allowed',
    policy: ['--origin', IP, '--header', 'Accept'], headers: [['Accept', long(129)]], limits: PISTACHE_ACCEPT },
  { id: 'accept-language', title: 'Accept-Language en-US is safelisted', policy: ['--origin', IP],
    headers: [['Accept-Language', 'en-US,de;q=0.5']] },
  { id: 'accept-language-unsafe', title: 'Accept-Language with @ is preflighted', policy: ['--origin', IP],
    headers: [['Accept-Language', 'en@x']] },
  { id: 'content-language', title: 'Content-Language de is safelisted', policy: ['--origin', IP],
    headers: [['Content-Language', 'de']] },
  { id: 'safelisted-total-1024', title: 'safelisted values over 1024 bytes in total are preflighted',
    policy: ['--origin', IP],
    headers: [['Accept', long(120)], ['Accept-Language', long(120)], ['Content-Language', long(120)],
      ['Content-Type', `text/plain; x=${long(100)}`], ['Accept', long(120)], ['Accept', long(120)],
      ['Accept', long(120)], ['Accept', long(120)], ['Accept', long(120)]] },
  { id: 'range-simple', title: 'Range: bytes=0-10 is safelisted', policy: ['--origin', IP],
    headers: [['Range', 'bytes=0-10']] },
  { id: 'range-open', title: 'Range: bytes=0- is safelisted', policy: ['--origin', IP], headers: [['Range', 'bytes=0-']] },
  { id: 'range-suffix', title: 'Range: bytes=-5 (suffix) is preflighted', policy: ['--origin', IP],
    headers: [['Range', 'bytes=-5']] },
  { id: 'range-multi', title: 'Range with two ranges is preflighted', policy: ['--origin', IP],
    headers: [['Range', 'bytes=0-1,3-4']] },
  { id: 'range-listed', title: 'Range suffix with Range listed: allowed', policy: ['--origin', IP, '--header', 'Range'],
    headers: [['Range', 'bytes=-5']] },
  hint('DPR', '2'),
  hint('Save-Data', 'on'),
  hint('Downlink', '1.5'),
  hint('Viewport-Width', '800'),
  hint('Width', '100'),

  // ---- Exposed response headers ---------------------------------------------------------------
  { id: 'expose-listed', title: 'X-Total-Count exposed, X-Secret not', policy: base,
    read: ['X-Total-Count', 'X-Secret', 'X-Method'] },
  { id: 'expose-none', title: 'nothing exposed: only safelisted Content-Type is readable', policy: ['--origin', IP] },
  { id: 'expose-any', title: '--expose * without credentials exposes every header',
    policy: ['--origin', IP, '--expose', '*'], read: ['X-Total-Count', 'X-Secret', 'X-Method', 'Vary'] },
  { id: 'expose-any-origin-any', title: '--origin * --expose * exposes every header', page: 'lh',
    policy: ['--origin', '*', '--expose', '*'], read: ['X-Total-Count', 'X-Secret'] },
  { id: 'expose-credentials', title: 'with credentials the listed header is readable, others not',
    policy: [...withCredentials, '--expose', 'X-Secret'], credentials: 'include',
    read: ['X-Total-Count', 'X-Secret', 'X-Method'] },
  { id: 'expose-set-cookie', title: 'Set-Cookie is never readable, even with --expose *', path: '/cookie/set',
    policy: ['--origin', IP, '--expose', '*'], read: ['Set-Cookie', 'X-Secret'] },

  // ---- Preflight caching (Access-Control-Max-Age) ---------------------------------------------
  { id: 'max-age-600', title: 'max-age 600: a second PUT within it sends no preflight',
    policy: [...base, '--max-age', '600'], method: 'PUT', repeat: true },
  { id: 'max-age-0', title: 'max-age 0: the second PUT is preflighted again',
    policy: [...base, '--max-age', '0'], method: 'PUT', repeat: true },
  { id: 'max-age-absent', title: 'no max-age: the preflight is cached 5 seconds',
    policy: base, method: 'PUT', headers: [['X-Custom', '1']], repeat: true },
  { id: 'max-age-any-credentials', title: 'echoed method and headers are cached too',
    policy: ['--origin', IP, '--method', '*', '--header', '*', '--credentials', '--max-age', '600'],
    method: 'PUT', headers: [['X-Other', '1']], credentials: 'include', repeat: true },

  // ---- Preflight status and passthrough -----------------------------------------------------
  { id: 'preflight-204', title: 'preflight answered 204', policy: [...base, '--preflight-status', '204'],
    method: 'PUT' },
  { id: 'preflight-200', title: 'preflight answered 200', policy: [...base, '--preflight-status', '200'],
    method: 'PUT' },
  { id: 'passthrough', title: '--passthrough: the application answers the preflight, with the CORS headers',
    policy: [...base, '--passthrough'], method: 'PUT' },
  { id: 'passthrough-refused', title: '--passthrough: a refused preflight reaches the app without CORS headers',
    page: 'lh', policy: [...base, '--passthrough'], method: 'PUT' },

  // ---- Rejections and application statuses ----------------------------------------------------
  { id: 'actual-refused', title: 'a refused origin gets the response without CORS headers: network error',
    page: 'lh', policy: base },
  { id: 'actual-refused-403', title: '--refuse answers a refused origin with 403: network error',
    page: 'lh', policy: [...base, '--refuse'] },
  { id: 'status-404', title: 'app 404 is readable cross-origin', path: '/status/404', policy: base },
  { id: 'status-500', title: 'app 500 is readable cross-origin', path: '/status/500', policy: base },
  { id: 'status-500-preflight', title: 'app 500 after an allowed preflight is readable', path: '/status/500',
    policy: base, method: 'DELETE' },
  { id: 'status-404-credentials', title: 'app 404 is readable with credentials', path: '/status/404',
    policy: withCredentials, credentials: 'include' },
  { id: 'status-500-refused', title: 'app 500 to a refused origin: network error', path: '/status/500', page: 'lh',
    policy: base },

  // ---- Vary -----------------------------------------------------------------------------------
  { id: 'vary-merged', title: 'Vary: Origin is merged into the app\'s Vary: Accept-Encoding', path: '/vary',
    policy: [...base, '--expose', 'Vary'], read: ['Vary'] },
  { id: 'vary-any-origin', title: 'with * for everyone no Vary: Origin is added', path: '/vary',
    policy: ['--origin', '*', '--expose', 'Vary'], read: ['Vary'] },

  // ---- Cookies (credentials round trip; 127.0.0.1:A and 127.0.0.1:B are same-site) -------------
  { id: 'cookie-set', title: 'credentialed GET /cookie/set stores the cookie', path: '/cookie/set',
    policy: withCredentials, credentials: 'include' },
  { id: 'cookie-echo', title: 'credentialed GET /cookie/echo sends the cookie back', path: '/cookie/echo',
    policy: withCredentials, credentials: 'include', expectBody: 'cors_test=1' },
  { id: 'cookie-echo-omit', title: 'credentials: omit sends no cookie', path: '/cookie/echo',
    policy: withCredentials, credentials: 'omit', expectBody: '', read: ['X-Total-Count', 'X-Secret'] },
  { id: 'cookie-echo-preflight', title: 'a credentialed PUT after a preflight sends the cookie', path: '/cookie/echo',
    policy: withCredentials, method: 'PUT', credentials: 'include', expectBody: 'cors_test=1' },
];

// Policies the servers must refuse at startup (exit status 2), as the library does.
const invalidPolicies = [
  { id: 'config-any-origin-credentials', policy: ['--origin', '*', '--credentials'] },
  { id: 'config-expose-any-credentials', policy: ['--origin', IP, '--expose', '*', '--credentials'] },
  { id: 'config-max-age-negative', policy: ['--origin', IP, '--max-age', '-1'] },
  { id: 'config-max-age-too-large', policy: ['--origin', IP, '--max-age', '86401'] },
  { id: 'config-preflight-status', policy: ['--origin', IP, '--preflight-status', '201'] },
  { id: 'config-origin-slash', policy: ['--origin', 'http://127.0.0.1:{A}/'] },
  { id: 'config-origin-uppercase', policy: ['--origin', 'http://LOCALHOST:{A}'] },
  { id: 'config-insecure-credentials', policy: ['--origin', 'http://example.com', '--credentials'] },
  { id: 'config-header-forbidden', policy: ['--origin', IP, '--header', 'Cookie'] },
  { id: 'config-no-origin', policy: ['--method', 'PUT'] },
];

// Browser facts the library's choices rest on, checked against a hand-written answer from the
// page server (never sent by the library): expected per the Fetch Standard, with the measured
// deviations. The page at http://localhost:{A} fetches http://127.0.0.1:{A}/fact/<id>.
// `answer` gives the preflight's and the actual response's extra headers.
const browserFacts = [
  { id: 'fact-two-acao-lines', title: 'two Access-Control-Allow-Origin lines fail the CORS check (#concept-cors-check)',
    answer: { actual: [['Access-Control-Allow-Origin', '{ORIGIN}'], ['Access-Control-Allow-Origin', '{ORIGIN}']] },
    expected: { preflight: false, ok: false } },
  { id: 'fact-acac-case', title: 'Access-Control-Allow-Credentials: True is not `true` (#concept-cors-check)',
    credentials: 'include',
    answer: { actual: [['Access-Control-Allow-Origin', '{ORIGIN}'], ['Access-Control-Allow-Credentials', 'True']] },
    expected: { preflight: false, ok: false } },
  { id: 'fact-acah-star-authorization',
    title: 'Access-Control-Allow-Headers: * does not cover Authorization (#cors-non-wildcard-request-header-name)',
    headers: [['Authorization', 'Bearer t']],
    answer: {
      preflight: [['Access-Control-Allow-Origin', '{ORIGIN}'], ['Access-Control-Allow-Headers', '*']],
      actual: [['Access-Control-Allow-Origin', '{ORIGIN}']],
    },
    expected: { preflight: true, ok: false },
    deviations: {
      chromium: { observed: { ok: true }, reason: '`*` still covers Authorization (a deprecation warning only); our policy never relies on it' },
      firefox: { observed: { ok: true }, reason: '`*` still covers Authorization; our policy never relies on it' },
    } },
  { id: 'fact-max-age-negative', title: 'Access-Control-Max-Age: -1 is no delta-seconds: 5 s default (#cors-preflight-fetch-0)',
    method: 'PUT', repeat: true,
    answer: {
      preflight: [['Access-Control-Allow-Origin', '{ORIGIN}'], ['Access-Control-Allow-Methods', 'PUT'],
        ['Access-Control-Max-Age', '-1']],
      actual: [['Access-Control-Allow-Origin', '{ORIGIN}']],
    },
    expected: { preflight: true, ok: true, repeat_preflight: false },
    deviations: {
      chromium: { observed: { repeat_preflight: true }, reason: '-1 disables the preflight cache instead of the 5 s default; the library only emits 0 … 86400' },
      firefox: { observed: { repeat_preflight: true }, reason: '-1 disables the preflight cache instead of the 5 s default; the library only emits 0 … 86400' },
    } },
];

for (const s of [...scenarios, ...browserFacts]) {
  s.page ??= 'ip';
  s.method ??= 'GET';
  s.path ??= '/';
  s.headers ??= [];
  s.credentials ??= 'same-origin';
  s.read ??= READ;
}

module.exports = { scenarios, invalidPolicies, browserFacts };
