import './styles.css';
import { api } from './api';
import { basic, can, currentSession, saveSession, setUnauthorizedHandler, signOut, type Role } from './auth';
import { signInFailure } from './signIn';
import { countdown, signInWaitMessage } from './wait';
import { h, replace } from './dom';
import { PAGES, parseHash, type PageDef } from './router';
import { badge, errorState, loading } from './components/states';

const app = document.getElementById('app')!;
let cleanup: (() => void) | void;

setUnauthorizedHandler(() => {
  signOut();
  showLogin('Your session ended: please sign in again.');
});

function start(): void {
  if (currentSession()) showShell();
  else showLogin();
}

function showLogin(message?: string): void {
  cleanup?.();
  cleanup = undefined;
  const user = h('input', { id: 'login-user', name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const error = h('div', { class: 'login-error', role: 'alert' }, message ?? '');
  const submit = h('button', { class: 'btn btn-primary', type: 'submit', id: 'login-submit' }, 'Sign in');
  const form = h('form', { class: 'login-card', id: 'login-form' },
    h('div', { class: 'brand-large' }, h('span', { class: 'logo' }, 'A'), h('div', {}, h('h1', {}, 'ALICE Data Lakehouse'), h('p', { class: 'muted' }, 'Grid job traces, metadata and monitoring, queryable at any version'))),
    h('label', {}, 'User name', user),
    h('label', {}, 'Password', password),
    error,
    submit);
  // after too many failed sign-ins the services refuse every attempt (429 + Retry-After): count the wait down
  let stopWait: (() => void) | undefined;
  const waitBeforeNextTry = (seconds: number) => {
    stopWait?.();
    submit.setAttribute('disabled', '');
    form.classList.add('login-waiting');
    let announced = false;
    stopWait = countdown(seconds, (left) => {
      if (!form.isConnected) {
        stopWait?.();
        return;
      }
      error.textContent = signInWaitMessage(left);
      // announced once by screen readers, not every second
      if (announced) error.setAttribute('aria-live', 'off');
      announced = true;
      if (left === 0) {
        error.removeAttribute('aria-live');
        form.classList.remove('login-waiting');
        submit.removeAttribute('disabled');
      }
    });
  };
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (form.classList.contains('login-waiting')) return;
    submit.setAttribute('disabled', '');
    error.textContent = '';
    let waitSeconds: number | undefined;
    try {
      const authorization = basic(user.value.trim(), password.value);
      const me = await api<{ name: string; role: Role }>('/api/me', { signingIn: authorization });
      saveSession({ name: me.name, role: me.role, authorization });
      if (!location.hash) location.hash = can('RESEARCHER') ? '#/explore' : '#/saved';
      showShell();
    } catch (e) {
      const failure = signInFailure(e);
      error.textContent = failure.message;
      waitSeconds = failure.waitSeconds;
    } finally {
      if (waitSeconds !== undefined) waitBeforeNextTry(waitSeconds);
      else submit.removeAttribute('disabled');
    }
  });
  replace(app, h('main', { class: 'login-page' }, form));
  user.focus();
}

let content: HTMLElement;
let nav: HTMLElement;

function showShell(): void {
  const session = currentSession()!;
  nav = h('nav', { class: 'nav' });
  const groups = ['Query', 'Data', 'Operations'] as const;
  for (const group of groups) {
    const pages = PAGES.filter((p) => p.group === group && can(p.minRole));
    if (!pages.length) continue;
    nav.append(h('div', { class: 'nav-group' }, group),
      ...pages.map((p) => h('a', { href: `#/${p.id}`, class: 'nav-link', 'data-page': p.id }, p.title)));
  }
  const logout = h('button', { class: 'btn btn-small btn-ghost', type: 'button', id: 'logout' }, 'Sign out');
  logout.addEventListener('click', () => {
    signOut();
    location.hash = '';
    showLogin();
  });
  content = h('main', { class: 'content', id: 'content' });
  replace(app, h('div', { class: 'shell' },
    h('aside', { class: 'sidebar' },
      h('div', { class: 'brand' }, h('span', { class: 'logo' }, 'A'), h('span', {}, 'ALICE Lakehouse')),
      nav,
      h('div', { class: 'user-box' }, h('div', { class: 'user-name', id: 'user-name' }, session.name), badge(session.role), logout)),
    content));
  route();
}

async function route(): Promise<void> {
  if (!currentSession() || !content) return;
  const { id, params } = parseHash(location.hash);
  const visible = PAGES.filter((p) => can(p.minRole));
  const page: PageDef | undefined = visible.find((p) => p.id === id) ?? visible[0];
  if (page.id !== id) {
    history.replaceState(null, '', `#/${page.id}`);
  }
  nav.querySelectorAll('.nav-link').forEach((a) => a.classList.toggle('active', a.getAttribute('data-page') === page.id));
  cleanup?.();
  cleanup = undefined;
  document.title = `${page.title} · ALICE Data Lakehouse`;
  const root = h('div', { class: 'page', 'data-page': page.id });
  replace(content, h('header', { class: 'page-header' }, h('h1', {}, page.title)), root);
  root.append(loading());
  try {
    const module = await page.load();
    if (parseHash(location.hash).id !== page.id) return;
    replace(root);
    cleanup = module.render(root, params);
  } catch (e) {
    replace(root, errorState(e, `Loading ${page.title}`));
  }
}

window.addEventListener('hashchange', () => route());
start();
