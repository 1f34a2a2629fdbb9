/** One login for the whole app: credentials live in sessionStorage and go out as HTTP Basic on every call. */

export type Role = 'VIEWER' | 'RESEARCHER' | 'ADMIN';

export interface Session {
  name: string;
  role: Role;
  authorization: string;
}

const KEY = 'lakehouse.session';
const RANK: Record<Role, number> = { VIEWER: 1, RESEARCHER: 2, ADMIN: 3 };
let unauthorizedHandler: () => void = () => undefined;

export function currentSession(): Session | null {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as Session;
  } catch {
    return null;
  }
}

export function authorizationHeader(): string | undefined {
  return currentSession()?.authorization;
}

export function basic(name: string, password: string): string {
  const bytes = new TextEncoder().encode(`${name}:${password}`);
  let binary = '';
  bytes.forEach((b) => (binary += String.fromCharCode(b)));
  return `Basic ${btoa(binary)}`;
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
}

/** Whether the signed-in user has at least this role (the backends check again). */
export function can(role: Role): boolean {
  const session = currentSession();
  return session !== null && RANK[session.role] >= RANK[role];
}

export function setUnauthorizedHandler(handler: () => void): void {
  unauthorizedHandler = handler;
}

export function onUnauthorized(): void {
  unauthorizedHandler();
}
