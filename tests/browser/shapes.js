'use strict';
// Faulty (and a few correct) response shapes for model.js: a raw-socket server answers the
// preflight and the actual request with exactly these header lines, byte for byte, and the
// browser's verdict is compared with the browser model's (cors/browser.hpp).
// {ORIGIN} is the page's origin (http://127.0.0.1:{A}), {ORIGIN_UPPER_SCHEME} the same as HTTP://…; `preflight` answers OPTIONS, `actual`
// everything else; each is a status line and header lines (Content-Length and Connection: close
// are added). A browser that departs from the model gets a `deviations` entry ({accepted, reason});
// it fails once the browser agrees with the model again. Each departure is a row of README's
// "Known departures" table.

const O = '{ORIGIN}';
const ACAO = `Access-Control-Allow-Origin: ${O}`;
const OK = 'HTTP/1.1 200 OK';
const NO_CONTENT = 'HTTP/1.1 204 No Content';
const simple = (...lines) => ({ method: 'GET', headers: [], credentials: 'omit', actual: [OK, ...lines] });
const creds = (...lines) => ({ method: 'GET', headers: [], credentials: 'include', actual: [OK, ...lines] });
// A PUT: preflighted for its method.
const put = (preflight, actual = [OK, ACAO], credentials = 'omit') =>
  ({ method: 'PUT', headers: [], credentials, preflight, actual });
// A GET with request headers: preflighted for them.
const withHeaders = (headers, preflight, actual = [OK, ACAO], credentials = 'omit') =>
  ({ method: 'GET', headers, credentials, preflight, actual });

const AUTHORIZATION_STAR = 'Chromium and Firefox let `Access-Control-Allow-Headers: *` cover `Authorization` '
  + '(Fetch: never, #cors-non-wildcard-request-header-name); the library never relies on it';

/** @type {Array<{id: string} & object>} */
const shapes = [
  // ---- the CORS check on an actual response (#cors-check) --------------------------------------
  { id: 'acao-exact', ...simple(ACAO) },
  { id: 'acao-missing', ...simple() },
  { id: 'acao-duplicate-lines', ...simple(ACAO, ACAO) },
  { id: 'acao-comma-joined', ...simple(`Access-Control-Allow-Origin: ${O}, http://other.example`) },
  { id: 'acao-star-twice', ...simple('Access-Control-Allow-Origin: *', 'Access-Control-Allow-Origin: *') },
  { id: 'acao-star-and-origin', ...simple('Access-Control-Allow-Origin: *', ACAO) },
  { id: 'acao-trailing-slash', ...simple(`Access-Control-Allow-Origin: ${O}/`) },
  { id: 'acao-uppercase-scheme', ...simple('Access-Control-Allow-Origin: {ORIGIN_UPPER_SCHEME}') },
  { id: 'acao-null', ...simple('Access-Control-Allow-Origin: null') },
  { id: 'acao-empty', ...simple('Access-Control-Allow-Origin:') },
  { id: 'acao-quoted', ...simple(`Access-Control-Allow-Origin: "${O}"`) },
  { id: 'acao-whitespace-around', ...simple(`Access-Control-Allow-Origin: \t ${O} \t`) },
  { id: 'acao-lowercase-name', ...simple(`access-control-allow-origin: ${O}`) },
  { id: 'acao-star', ...simple('Access-Control-Allow-Origin: *') },
  { id: 'missing-vary', ...simple(ACAO, 'Cache-Control: max-age=60') },
  { id: 'actual-404-with-acao', method: 'GET', headers: [], credentials: 'omit', actual: ['HTTP/1.1 404 Not Found', ACAO] },
  { id: 'actual-500-without-acao', method: 'GET', headers: [], credentials: 'omit', actual: ['HTTP/1.1 500 Internal Server Error'] },
  // ---- credentials (#cors-check steps 5-7) --------------------------------------------------------
  { id: 'credentials-ok', ...creds(ACAO, 'Access-Control-Allow-Credentials: true') },
  { id: 'credentials-star-origin', ...creds('Access-Control-Allow-Origin: *', 'Access-Control-Allow-Credentials: true') },
  { id: 'credentials-acac-missing', ...creds(ACAO) },
  { id: 'credentials-acac-True', ...creds(ACAO, 'Access-Control-Allow-Credentials: True') },
  { id: 'credentials-acac-1', ...creds(ACAO, 'Access-Control-Allow-Credentials: 1') },
  { id: 'credentials-acac-twice', ...creds(ACAO, 'Access-Control-Allow-Credentials: true', 'Access-Control-Allow-Credentials: true') },
  { id: 'credentials-acac-whitespace', ...creds(ACAO, 'Access-Control-Allow-Credentials:  true ') },
  { id: 'no-credentials-acac-True-ignored', ...simple('Access-Control-Allow-Origin: *', 'Access-Control-Allow-Credentials: True') },
  // ---- the CORS-preflight fetch (#cors-preflight-fetch-0) ---------------------------------------------
  { id: 'preflight-ok-204', ...put([NO_CONTENT, ACAO, 'Access-Control-Allow-Methods: PUT']) },
  { id: 'preflight-ok-200', ...put([OK, ACAO, 'Access-Control-Allow-Methods: PUT']) },
  { id: 'preflight-301', ...put(['HTTP/1.1 301 Moved Permanently', 'Location: /elsewhere', ACAO, 'Access-Control-Allow-Methods: PUT']) },
  { id: 'preflight-302', ...put(['HTTP/1.1 302 Found', 'Location: /elsewhere', ACAO, 'Access-Control-Allow-Methods: PUT']) },
  { id: 'preflight-308', ...put(['HTTP/1.1 308 Permanent Redirect', 'Location: /elsewhere', ACAO, 'Access-Control-Allow-Methods: PUT']) },
  { id: 'preflight-403-with-headers', ...put(['HTTP/1.1 403 Forbidden', ACAO, 'Access-Control-Allow-Methods: PUT']) },
  { id: 'preflight-404-bare', ...put(['HTTP/1.1 404 Not Found']) },
  { id: 'preflight-405-with-acao', ...put(['HTTP/1.1 405 Method Not Allowed', ACAO]) },
  { id: 'preflight-500-with-headers', ...put(['HTTP/1.1 500 Internal Server Error', ACAO, 'Access-Control-Allow-Methods: PUT']) },
  { id: 'preflight-acao-missing', ...put([NO_CONTENT, 'Access-Control-Allow-Methods: PUT']) },
  { id: 'preflight-acao-trailing-slash', ...put([NO_CONTENT, `Access-Control-Allow-Origin: ${O}/`, 'Access-Control-Allow-Methods: PUT']) },
  { id: 'preflight-acao-duplicate', ...put([NO_CONTENT, ACAO, ACAO, 'Access-Control-Allow-Methods: PUT']) },
  { id: 'preflight-ok-actual-acao-missing', ...put([NO_CONTENT, ACAO, 'Access-Control-Allow-Methods: PUT'], [OK]) },
  { id: 'acam-missing', ...put([NO_CONTENT, ACAO]) },
  { id: 'acam-lowercase', ...put([NO_CONTENT, ACAO, 'Access-Control-Allow-Methods: put']) },
  { id: 'acam-star', ...put([NO_CONTENT, ACAO, 'Access-Control-Allow-Methods: *']) },
  { id: 'acam-star-credentials', ...put([NO_CONTENT, ACAO, 'Access-Control-Allow-Credentials: true', 'Access-Control-Allow-Methods: *'],
    [OK, ACAO, 'Access-Control-Allow-Credentials: true'], 'include') },
  { id: 'acam-two-lines', ...put([NO_CONTENT, ACAO, 'Access-Control-Allow-Methods: GET', 'Access-Control-Allow-Methods: PUT']) },
  { id: 'acam-list-with-spaces', ...put([NO_CONTENT, ACAO, 'Access-Control-Allow-Methods:  GET ,  PUT ']) },
  { id: 'acam-not-a-list', ...put([NO_CONTENT, ACAO, 'Access-Control-Allow-Methods: GET PUT']) },
  { id: 'acam-empty-elements', ...put([NO_CONTENT, ACAO, 'Access-Control-Allow-Methods: ,PUT,,']) },
  { id: 'preflight-credentials-acac-missing', ...put([NO_CONTENT, ACAO, 'Access-Control-Allow-Methods: PUT'],
    [OK, ACAO, 'Access-Control-Allow-Credentials: true'], 'include') },
  { id: 'acah-missing', ...withHeaders([['X-A', '1']], [NO_CONTENT, ACAO]) },
  { id: 'acah-missing-one-of-two', ...withHeaders([['X-A', '1'], ['X-B', '2']], [NO_CONTENT, ACAO, 'Access-Control-Allow-Headers: x-a']) },
  { id: 'acah-other-case', ...withHeaders([['X-A', '1']], [NO_CONTENT, ACAO, 'Access-Control-Allow-Headers: x-A']) },
  { id: 'acah-two-lines', ...withHeaders([['X-A', '1'], ['X-B', '2']], [NO_CONTENT, ACAO, 'Access-Control-Allow-Headers: X-A', 'Access-Control-Allow-Headers: X-B']) },
  { id: 'acah-star', ...withHeaders([['X-A', '1']], [NO_CONTENT, ACAO, 'Access-Control-Allow-Headers: *']) },
  { id: 'acah-star-credentials', ...withHeaders([['X-A', '1']], [NO_CONTENT, ACAO, 'Access-Control-Allow-Credentials: true', 'Access-Control-Allow-Headers: *'],
    [OK, ACAO, 'Access-Control-Allow-Credentials: true'], 'include') },
  { id: 'acah-star-authorization', ...withHeaders([['Authorization', 'Bearer x']], [NO_CONTENT, ACAO, 'Access-Control-Allow-Headers: *']),
    deviations: { chromium: { accepted: true, reason: AUTHORIZATION_STAR }, firefox: { accepted: true, reason: AUTHORIZATION_STAR } } },
  { id: 'acah-authorization-listed', ...withHeaders([['Authorization', 'Bearer x']], [NO_CONTENT, ACAO, 'Access-Control-Allow-Headers: *, Authorization']) },
  { id: 'acah-not-a-list', ...withHeaders([['X-A', '1']], [NO_CONTENT, ACAO, 'Access-Control-Allow-Headers: X-A X-B']) },
  { id: 'acah-json-content-type-missing', method: 'POST', headers: [['Content-Type', 'application/json']], credentials: 'omit',
    preflight: [NO_CONTENT, ACAO, 'Access-Control-Allow-Headers: X-Other'], actual: [OK, ACAO] },
  { id: 'max-age-minus-1', ...put([NO_CONTENT, ACAO, 'Access-Control-Allow-Methods: PUT', 'Access-Control-Max-Age: -1']) },
  { id: 'max-age-garbage', ...put([NO_CONTENT, ACAO, 'Access-Control-Allow-Methods: PUT', 'Access-Control-Max-Age: ten']) },
  { id: 'max-age-two-lines', ...put([NO_CONTENT, ACAO, 'Access-Control-Allow-Methods: PUT', 'Access-Control-Max-Age: 10', 'Access-Control-Max-Age: 20']) },
];

module.exports = { shapes };
