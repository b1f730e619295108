import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, rememberCsrfToken, whenSignedOut } from '../api/client.js';
import { ErrorNotice, Loading } from '../ui/states.js';
import { queryClient } from '../ui/use-api-data.js';
import { authApi, type Session, type StaffUser } from './auth.api.js';
import type { Role } from './roles.js';

type SessionState =
  | { status: 'checking' }
  | { status: 'signed-out' }
  | { status: 'signed-in'; user: StaffUser }
  | { status: 'unreachable'; error: unknown };

type SessionContextValue = {
  /** The signed-in user, or null on the sign-in page. */
  user: StaffUser | null;
  signIn(credentials: { email: string; password: string }): Promise<void>;
  signOut(): Promise<void>;
  /** Reloads the signed-in user, after a change to their own name or roles. */
  refresh(): Promise<void>;
};

const SessionContext = createContext<SessionContextValue | null>(null);

/** Knows who is signed in: asks the server once at start, then follows sign-in, sign-out and expiry. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'checking' });

  const accept = useCallback((session: Session) => {
    rememberCsrfToken(session.csrfToken);
    setState({ status: 'signed-in', user: session.user });
  }, []);

  const forget = useCallback(() => {
    rememberCsrfToken(null);
    // The next person to sign in sees nothing the last one loaded.
    queryClient.clear();
    setState({ status: 'signed-out' });
  }, []);

  const check = useCallback(() => {
    authApi.me().then(accept, (error: unknown) => {
      if (error instanceof ApiError && error.status === 401) forget();
      else setState({ status: 'unreachable', error });
    });
  }, [accept, forget]);

  useEffect(() => {
    whenSignedOut(forget);
    check();
  }, [check, forget]);

  const retry = () => {
    setState({ status: 'checking' });
    check();
  };

  const value = useMemo<SessionContextValue>(
    () => ({
      user: state.status === 'signed-in' ? state.user : null,
      signIn: async (credentials) => accept(await authApi.login(credentials)),
      signOut: async () => {
        // Leave the workspace even if the server cannot be told: the cookie is useless without its page.
        await authApi.logout().catch(() => undefined);
        forget();
      },
      refresh: async () => accept(await authApi.me()),
    }),
    [state, accept, forget],
  );

  if (state.status === 'checking') {
    return (
      <div className="boot">
        <Loading what="your session" />
      </div>
    );
  }
  if (state.status === 'unreachable') {
    return (
      <div className="boot">
        <ErrorNotice error={state.error} onRetry={retry} />
      </div>
    );
  }
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession needs a SessionProvider above it');
  return session;
}

/** The signed-in user, on pages that only render inside the workspace. */
export function useSignedInUser(): StaffUser {
  const { user } = useSession();
  if (!user) throw new Error('useSignedInUser is only for pages behind sign-in');
  return user;
}

export const hasRole = (user: StaffUser, role: Role) => user.roles.includes(role);
