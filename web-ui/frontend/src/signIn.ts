import { ApiError } from './api';
import { signInWaitMessage } from './wait';

/** What the sign-in form shows for a failed attempt, and how long it must wait first (429 + Retry-After). */
export interface SignInFailure {
  message: string;
  waitSeconds?: number;
}

export function signInFailure(error: unknown): SignInFailure {
  if (error instanceof ApiError) {
    if (error.status === 401) return { message: 'Wrong user name or password.' };
    if (error.status === 429) {
      // throttled before the password was checked: the right password is refused too until the wait is over
      const waitSeconds = error.retryAfterSeconds ?? 60;
      return { message: signInWaitMessage(waitSeconds), waitSeconds };
    }
    return { message: error.message };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}
