/** Who is signed in: token and user, kept in localStorage until sign-out or the token's expiry. */
import { computed, shallowRef } from 'vue';
import type { LoginAnswer, User } from '../../../contract/index.ts';

const STORAGE_KEY = 'anju.session';

export interface Session {
  token: string;
  user: User;
}

/** The `exp` claim of a JWT in epoch ms, or undefined when it has none or cannot be read. */
export function tokenExpiry(token: string): number | undefined {
  try {
    const part = token.split('.')[1];
    if (!part) return undefined;
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const exp: unknown = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

function isExpired(token: string, now: number): boolean {
  const expiry = tokenExpiry(token);
  return expiry !== undefined && expiry <= now;
}

function read(storage: Storage | undefined, now: number): Session | null {
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    if (!raw) return null;
    const session = JSON.parse(raw) as Partial<Session>;
    if (typeof session.token !== 'string' || !session.user || isExpired(session.token, now)) return null;
    return session as Session;
  } catch {
    return null;
  }
}

export function createSession(storage: Storage | undefined = globalThis.localStorage, clock: () => number = Date.now) {
  const current = shallowRef<Session | null>(read(storage, clock()));

  function save(session: Session | null) {
    current.value = session;
    if (session) storage?.setItem(STORAGE_KEY, JSON.stringify(session));
    else storage?.removeItem(STORAGE_KEY);
  }

  return {
    current,
    user: computed(() => current.value?.user ?? null),
    /** The token, or null when signed out or expired. */
    token(): string | null {
      const session = current.value;
      if (!session) return null;
      if (isExpired(session.token, clock())) {
        save(null);
        return null;
      }
      return session.token;
    },
    signIn(answer: LoginAnswer) {
      save({ token: answer.token, user: answer.user });
    },
    /** The live stream's hello carries the user as the server sees it now. */
    updateUser(user: User) {
      if (current.value) save({ ...current.value, user });
    },
    signOut() {
      save(null);
    },
  };
}

export type SessionStore = ReturnType<typeof createSession>;
