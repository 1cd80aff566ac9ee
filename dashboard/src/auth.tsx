import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, onSessionExpired, setCsrfToken } from './api.ts';
import type { SignedIn, User } from './types.ts';

interface Auth {
  /** undefined while the first /api/auth/me is under way. */
  user: User | null | undefined;
  /** Why the user was signed out by the server (shown on the login page). */
  expired: boolean;
  logIn: (username: string, password: string) => Promise<User>;
  changePassword: (currentPassword: string, newPassword: string) => Promise<void>;
  logOut: () => Promise<void>;
}

const AuthContext = createContext<Auth | null>(null);

/** Holds who is signed in; asks the server once at start, and drops the user when the session expires. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [expired, setExpired] = useState(false);

  useEffect(() => {
    api<SignedIn>('GET', '/api/auth/me')
      .then((me) => {
        setCsrfToken(me.csrfToken);
        setUser(me.user);
      })
      .catch((error: unknown) => {
        setExpired(error instanceof ApiError && error.code === 'auth.session-expired');
        setUser(null);
      });
    return onSessionExpired(() => {
      setExpired(true);
      setUser(null);
    });
  }, []);

  const logIn = useCallback(async (username: string, password: string) => {
    const signedIn = await api<SignedIn>('POST', '/api/auth/login', { username, password });
    setCsrfToken(signedIn.csrfToken);
    setExpired(false);
    setUser(signedIn.user);
    return signedIn.user;
  }, []);

  const changePassword = useCallback(async (currentPassword: string, newPassword: string) => {
    const answer = await api<{ csrfToken: string }>('POST', '/api/auth/password', { currentPassword, newPassword });
    setCsrfToken(answer.csrfToken);
    const me = await api<SignedIn>('GET', '/api/auth/me');
    setUser(me.user);
  }, []);

  const logOut = useCallback(async () => {
    await api('POST', '/api/auth/logout').catch(() => undefined);
    setCsrfToken('');
    setUser(null);
  }, []);

  const value = useMemo(() => ({ user, expired, logIn, changePassword, logOut }), [user, expired, logIn, changePassword, logOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

/** The signed-in user and the sign-in actions. */
export function useAuth(): Auth {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}
