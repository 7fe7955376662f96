// Credentials live in sessionStorage only (gone when the tab closes); bearer tokens only in memory.
const USER = 'berth.user';
const PASSWORD = 'berth.password';
const tokens = new Map();

export function credentials() {
  const user = sessionStorage.getItem(USER);
  return user === null ? null : { user, password: sessionStorage.getItem(PASSWORD) ?? '' };
}

export function forget() {
  sessionStorage.removeItem(USER);
  sessionStorage.removeItem(PASSWORD);
  tokens.clear();
}

function remember(user, password) {
  sessionStorage.setItem(USER, user);
  sessionStorage.setItem(PASSWORD, password);
  tokens.clear();
}

function basicHeader(creds) {
  const bytes = new TextEncoder().encode(`${creds.user}:${creds.password}`);
  return 'Basic ' + btoa(String.fromCharCode(...bytes));
}

/** Parses `Bearer realm="...",service="...",scope="..."` (or Basic) into a scheme and its parameters. */
function parseChallenge(header) {
  if (!header) return null;
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const params = {};
  for (const m of header.slice(space + 1).matchAll(/(\w+)="([^"]*)"/g)) params[m[1]] = m[2];
  return { scheme, params };
}

/** Follows the token protocol: the challenge's realm, with Basic credentials when signed in. */
async function fetchToken(params) {
  const url = new URL(params.realm, location.href);
  if (params.service) url.searchParams.set('service', params.service);
  if (params.scope) url.searchParams.set('scope', params.scope);
  const creds = credentials();
  const response = await fetch(url, { credentials: 'omit', headers: creds ? { Authorization: basicHeader(creds) } : {} });
  if (response.status === 401) throw new AuthError(creds ? 'Wrong user name or password.' : 'Sign in to see this registry.');
  if (!response.ok) throw new AuthError(`the token endpoint answered ${response.status}`);
  const body = await response.json();
  return body.token ?? body.access_token;
}

export class AuthError extends Error {}

function authorization(scope) {
  const token = tokens.get(scope ?? '') ?? tokens.get('');
  if (token) return 'Bearer ' + token;
  const creds = credentials();
  return creds ? basicHeader(creds) : null;
}

/**
 * fetch() with this registry's auth: Basic credentials when signed in; on a Bearer challenge a token for the
 * challenge's scope, then one retry. A 401 that remains is an AuthError (the page then asks to sign in).
 */
export async function call(path, options = {}) {
  let scopeKey = options.scope;
  for (let attempt = 0; attempt < 2; attempt++) {
    const headers = { ...(options.headers ?? {}) };
    const auth = authorization(scopeKey);
    if (auth) headers.Authorization = auth;
    // credentials 'omit': a 401 with a Basic challenge then reaches this code instead of the browser's own dialog
    const response = await fetch(path, { ...options, headers, credentials: 'omit' });
    if (response.status !== 401) return response;
    const challenge = parseChallenge(response.headers.get('WWW-Authenticate'));
    if (attempt > 0 || !challenge || challenge.scheme !== 'bearer' || !challenge.params.realm) {
      throw new AuthError(credentials() ? 'Wrong user name or password.' : 'Sign in to see this registry.');
    }
    scopeKey = challenge.params.scope ?? '';
    tokens.set(scopeKey, await fetchToken(challenge.params));
  }
  throw new AuthError('Sign in to see this registry.');
}

/** Signs in as the v2 API expects: GET /v2/ with these credentials, following a Bearer challenge. */
export async function login(user, password) {
  remember(user, password);
  try {
    const response = await call('/v2/');
    if (!response.ok) throw new AuthError(`the registry answered ${response.status}`);
  } catch (e) {
    forget();
    throw e;
  }
}
