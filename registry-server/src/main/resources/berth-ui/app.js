import { AuthError, call, credentials, forget, login } from './auth.js';

const main = document.getElementById('main');

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null) continue;
    if (key === 'onclick' || key === 'onsubmit' || key === 'oninput') node.addEventListener(key.slice(2), value);
    else if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) node.append(child instanceof Node ? child : document.createTextNode(String(child ?? '')));
  return node;
}

function show(...nodes) {
  main.replaceChildren(...nodes);
}

export function formatSize(bytes) {
  if (bytes === null || bytes === undefined) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

function formatTime(iso) {
  return iso ? new Date(iso).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : '';
}

/** Counts navigations: an answer that arrives after the user moved on must not replace the newer page. */
let navigation = 0;

/** Thrown for an answer to a page the user has left; nothing is shown for it. */
class Superseded extends Error {}

async function api(path) {
  const asked = navigation;
  let response;
  try {
    response = await call(path);
  } catch (e) {
    throw asked === navigation ? e : new Superseded();
  }
  if (asked !== navigation) throw new Superseded();
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new Error(body.errors?.[0]?.message ?? `the registry answered ${response.status}`);
  }
  return response.json();
}

function repoLink(name) {
  return el('a', { href: '#/repo/' + encodeURIComponent(name), class: 'repo-link', text: name });
}

function manifestHref(repo, reference) {
  return '#/manifest/' + encodeURIComponent(repo) + '/' + encodeURIComponent(reference);
}

function pullCommand(repo, reference) {
  const separator = reference.includes(':') ? '@' : ':';
  const command = `${location.host}/${repo}${separator}${reference}`;
  const input = el('input', { type: 'text', readonly: '', value: command, class: 'pull-command', 'aria-label': 'pull reference' });
  const copy = el('button', { type: 'button', class: 'copy', text: 'Copy', onclick: async () => {
    input.select();
    try { await navigator.clipboard.writeText(command); copy.textContent = 'Copied'; } catch { copy.textContent = 'Select and copy'; }
  } });
  return el('div', { class: 'pull' }, input, copy);
}

async function repositoriesPage(query) {
  const search = el('input', { type: 'search', id: 'search', placeholder: 'Search repositories', value: query ?? '' });
  const results = el('div', { id: 'repositories' });
  let searches = 0;
  const render = async () => {
    const asked = ++searches;
    const list = await api('/v2/_berth/repositories?q=' + encodeURIComponent(search.value));
    if (asked !== searches) return; // a later search's answer is (or will be) shown instead
    const rows = list.repositories.map(r => el('tr', { class: 'repository' },
      el('td', {}, repoLink(r.name)), el('td', { class: 'num', text: r.tagCount })));
    results.replaceChildren(rows.length === 0
      ? el('p', { class: 'muted', id: 'no-repositories', text: 'No repositories you may pull' + (search.value ? ` match “${search.value}”.` : '.') })
      : el('table', {}, el('thead', {}, el('tr', {}, el('th', { text: 'Repository' }), el('th', { class: 'num', text: 'Tags' }))),
        el('tbody', {}, rows)),
      list.truncated ? el('p', { class: 'muted', text: 'More repositories match: narrow the search.' }) : '');
  };
  let pending;
  search.addEventListener('input', () => { clearTimeout(pending); pending = setTimeout(() => render().catch(fail), 150); });
  show(el('h1', { text: 'Repositories' }), search, results);
  await render();
}

async function tagsPage(repo) {
  const search = el('input', { type: 'search', id: 'tag-search', placeholder: 'Search tags' });
  const results = el('div', { id: 'tag-results' });
  let searches = 0;
  const render = async () => {
    const asked = ++searches;
    const list = await api('/v2/_berth/tags?repository=' + encodeURIComponent(repo) + '&q=' + encodeURIComponent(search.value));
    if (asked !== searches) return; // a later search's answer is (or will be) shown instead
    const rows = list.tags.map(tag => {
      const cells = [
        el('td', {}, el('a', { href: manifestHref(repo, tag.name), class: 'tag-link', text: tag.name })),
        el('td', { class: 'mono', text: tag.digest.slice(0, 19) }),
        el('td', { text: tag.mediaType.includes('index') || tag.mediaType.includes('list') ? 'index' : 'image' }),
        el('td', { class: 'pushed', text: formatTime(tag.pushed) }),
        el('td', { class: 'num size', text: formatSize(tag.size) }),
      ];
      if (list.permissions.delete) cells.push(el('td', {}, deleteButton(repo, tag.name, () => tagsPage(repo))));
      return el('tr', { class: 'tag', 'data-tag': tag.name }, cells);
    });
    const head = ['Tag', 'Digest', 'Kind', 'Pushed', 'Size'];
    if (list.permissions.delete) head.push('');
    results.replaceChildren(rows.length === 0
      ? el('p', { class: 'muted', text: search.value ? `No tags match “${search.value}”.` : 'No tags.' })
      : el('table', { id: 'tags' }, el('thead', {}, el('tr', {}, head.map(h => el('th', { text: h })))), el('tbody', {}, rows)),
      list.truncated ? el('p', { class: 'muted', id: 'more-tags', text: `Only the first ${rows.length} tags by name: narrow the search.` }) : '');
  };
  let pending;
  search.addEventListener('input', () => { clearTimeout(pending); pending = setTimeout(() => render().catch(fail), 150); });
  show(el('div', { class: 'crumbs' }, el('a', { href: '#/', text: 'Repositories' })),
    el('h1', { text: repo }), search, results);
  await render();
}

/** Two clicks, so nothing is deleted by a stray one; the delete goes through the v2 API, its policy and rules. */
function deleteButton(repo, reference, after) {
  const button = el('button', { type: 'button', class: 'danger delete', text: 'Delete' });
  button.addEventListener('click', async () => {
    if (button.dataset.armed !== 'true') {
      button.dataset.armed = 'true';
      button.textContent = 'Really delete?';
      return;
    }
    const response = await call(`/v2/${repo}/manifests/${encodeURIComponent(reference)}`, { method: 'DELETE' });
    if (response.status === 202) {
      await after();
    } else {
      const body = await response.json().catch(() => ({}));
      button.replaceWith(el('span', { class: 'error', text: body.errors?.[0]?.message ?? `delete failed (${response.status})` }));
    }
  });
  return button;
}

function facts(pairs) {
  return el('dl', { class: 'facts' }, pairs.filter(([, v]) => v !== null && v !== undefined && v !== '')
    .flatMap(([k, v]) => [el('dt', { text: k }), el('dd', {}, v)]));
}

async function manifestPage(repo, reference) {
  const m = await api(`/v2/_berth/manifest?repository=${encodeURIComponent(repo)}&reference=${encodeURIComponent(reference)}`);
  const parts = [
    el('div', { class: 'crumbs' }, el('a', { href: '#/', text: 'Repositories' }), ' / ', repoLink(repo)),
    el('h1', { text: `${repo}${reference.includes(':') ? '@' : ':'}${reference}` }),
    pullCommand(repo, reference),
    facts([['Digest', el('code', { text: m.digest })], ['Media type', m.mediaType], ['Kind', m.kind],
      ['Artifact type', m.artifactType], ['Total size', formatSize(m.totalSize)],
      ['Subject', m.subject ? el('a', { href: manifestHref(repo, m.subject), text: m.subject }) : null]]),
  ];
  if (m.platforms.length > 0) {
    parts.push(el('h2', { text: 'Platforms' }), el('table', { id: 'platforms' },
      el('thead', {}, el('tr', {}, ['Platform', 'Digest', 'Size'].map(h => el('th', { text: h })))),
      el('tbody', {}, m.platforms.map(p => el('tr', { class: 'platform' },
        el('td', {}, el('a', { href: manifestHref(repo, p.digest), class: 'platform-link',
          text: [p.os, p.architecture, p.variant].filter(Boolean).join('/') || 'unknown' })),
        el('td', { class: 'mono', text: p.digest }), el('td', { class: 'num', text: formatSize(p.size) }))))));
  }
  if (m.image) {
    const c = m.image;
    parts.push(el('h2', { text: 'Config' }), facts([['Created', formatTime(c.created)],
      ['Platform', [c.os, c.architecture].filter(Boolean).join('/')],
      ['Entrypoint', c.entrypoint.length ? el('code', { text: JSON.stringify(c.entrypoint) }) : null],
      ['Cmd', c.cmd.length ? el('code', { class: 'cmd', text: JSON.stringify(c.cmd) }) : null],
      ['Working dir', c.workingDir], ['User', c.user],
      ...Object.entries(c.labels).map(([k, v]) => [`Label ${k}`, v])]));
  }
  if (m.layers.length > 0) {
    parts.push(el('h2', { text: 'Layers' }), el('table', { id: 'layers' },
      el('thead', {}, el('tr', {}, ['#', 'Digest', 'Media type', 'Size'].map(h => el('th', { text: h })))),
      el('tbody', {}, m.layers.map((l, i) => el('tr', { class: 'layer' }, el('td', { text: i + 1 }),
        el('td', { class: 'mono', text: l.digest }), el('td', { text: l.mediaType }),
        el('td', { class: 'num', text: formatSize(l.size) }))))));
  }
  if (Object.keys(m.annotations).length > 0) {
    const annotations = facts(Object.entries(m.annotations));
    annotations.id = 'annotations';
    parts.push(el('h2', { text: 'Annotations' }), annotations);
  }
  parts.push(el('h2', { text: 'Referrers' }), m.referrers.length === 0
    ? el('p', { class: 'muted', text: 'No signatures, SBOMs or attestations refer to this manifest.' })
    : el('table', { id: 'referrers' },
      el('thead', {}, el('tr', {}, ['Artifact type', 'Digest', 'Size'].map(h => el('th', { text: h })))),
      el('tbody', {}, m.referrers.map(r => el('tr', { class: 'referrer' },
        el('td', { class: 'artifact-type', text: r.artifactType ?? r.mediaType }),
        el('td', {}, el('a', { href: manifestHref(repo, r.digest), class: 'mono', text: r.digest })),
        el('td', { class: 'num', text: formatSize(r.size) }))))));
  if (m.permissions.delete) {
    parts.push(el('h2', { text: 'Delete' }), deleteButton(repo, reference, async () => { location.hash = '#/repo/' + encodeURIComponent(repo); }));
  }
  show(...parts);
}

function loginPage(message) {
  const user = el('input', { type: 'text', id: 'username', autocomplete: 'username', required: '' });
  const password = el('input', { type: 'password', id: 'password', autocomplete: 'current-password', required: '' });
  const error = el('p', { class: 'error', id: 'login-error', text: message ?? '' });
  const form = el('form', { class: 'login', id: 'login' },
    el('label', {}, 'User name', el('br'), user), el('label', {}, 'Password', el('br'), password),
    el('button', { type: 'submit', class: 'primary', id: 'sign-in', text: 'Sign in' }), error);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    try {
      await login(user.value, password.value);
      await route();
    } catch (e) {
      error.textContent = e.message;
    }
  });
  show(el('h1', { text: 'Sign in' }), form);
  user.focus();
}

function fail(e) {
  if (e instanceof Superseded) return;
  if (e instanceof AuthError) {
    const signedIn = credentials() !== null;
    forget();
    loginPage(signedIn ? e.message : '');
  } else {
    show(el('p', { class: 'error', id: 'failure', text: e.message }));
  }
  header();
}

function header() {
  const creds = credentials();
  document.getElementById('whoami').textContent = creds ? `Signed in as ${creds.user}` : '';
  document.getElementById('logout').hidden = !creds;
}

async function route() {
  navigation++;
  header();
  const hash = location.hash.replace(/^#\/?/, '');
  const [page, ...rest] = hash.split('/');
  try {
    if (page === 'repo') await tagsPage(decodeURIComponent(rest.join('/')));
    else if (page === 'manifest') await manifestPage(decodeURIComponent(rest[0]), decodeURIComponent(rest.slice(1).join('/')));
    else await repositoriesPage('');
  } catch (e) {
    fail(e);
  }
}

document.getElementById('logout').addEventListener('click', () => { navigation++; forget(); location.hash = '#/'; loginPage(''); header(); });
window.addEventListener('hashchange', route);
route();
