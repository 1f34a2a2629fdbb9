/**
 * Waits the services impose: after a few failed logins they answer 429 with Retry-After (seconds, or an HTTP date)
 * before any password is checked, the right one included (docs/security.md). Pure functions, tested by node.
 */

/** Seconds to wait from a Retry-After header value; undefined when absent or not understood. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  if (!text) return undefined;
  if (!/[a-z]/i.test(text)) return undefined; // an HTTP date names its day and month
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** "2 min 30 s", "45 s", "1 h 5 min" (seconds left out from an hour on), "0 s". */
export function formatWait(seconds: number): string {
  const total = Math.max(0, Math.ceil(seconds));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const secs = total % 60;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  if (minutes > 0) return secs > 0 ? `${minutes} min ${secs} s` : `${minutes} min`;
  return `${secs} s`;
}

/** What the sign-in form says while it must wait, and once it may try again. */
export function signInWaitMessage(secondsLeft: number): string {
  return secondsLeft > 0
    ? `Too many failed sign-ins - try again in ${formatWait(secondsLeft)}.`
    : 'You can sign in again now.';
}

/** The same for any other call a wait refused (a page, an action). */
export function waitMessage(secondsLeft: number): string {
  return `Too many failed logins for this user or from this address - try again in ${formatWait(secondsLeft)}.`;
}

/**
 * Calls {@code onTick} with the seconds left now and then every second until none are left (the last call gets 0),
 * measured against the clock so a tab that slept catches up. Returns a function that stops it.
 */
export function countdown(seconds: number, onTick: (secondsLeft: number) => void,
  now: () => number = Date.now): () => void {
  const until = now() + Math.max(0, seconds) * 1000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const tick = () => {
    timer = undefined;
    if (stopped) return;
    const left = Math.max(0, Math.ceil((until - now()) / 1000));
    onTick(left);
    if (left > 0 && !stopped) timer = setTimeout(tick, 1000);
  };
  tick();
  return () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
}
