import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { ApiError, whenSignedOut } from '../api/client.js';
import { ErrorNotice, Loading } from '../ui/states.js';
import { queryClient } from '../ui/use-api-data.js';
import { PORTAL_SIGNED_OUT, portalApi, rememberPortalCsrfToken, type PortalMe } from './portal.api.js';

type PortalSessionState =
  | { status: 'checking' }
  | { status: 'signed-out' }
  | { status: 'signed-in'; me: PortalMe }
  | { status: 'unreachable'; error: unknown };

type PortalSessionValue = {
  state: PortalSessionState;
  /** The signed-in customer, or null. */
  me: PortalMe | null;
  /** Exchanges the token of a sign-in link for a session. */
  signIn(token: string): Promise<void>;
  signOut(): Promise<void>;
  retry(): void;
};

const PortalSessionContext = createContext<PortalSessionValue | null>(null);

/**
 * One exchange per sign-in token and page load: the token is single-use, so a second request for
 * the same link (a re-render, React's development double effects) must not spend it again.
 */
const exchanges = new Map<string, Promise<PortalMe>>();
const exchange = (token: string) => {
  let pending = exchanges.get(token);
  if (!pending) {
    pending = portalApi.signIn(token);
    exchanges.set(token, pending);
  }
  return pending;
};

/**
 * Knows which customer is signed in to the portal: asks GET /api/portal/me once, then follows
 * sign-in, sign-out and expiry. A realm apart from the staff session: its own cookie and CSRF token.
 */
export function PortalSessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<PortalSessionState>({ status: 'checking' });
  const signedIn = useRef(false);

  const accept = useCallback((me: PortalMe) => {
    rememberPortalCsrfToken(me.csrfToken);
    signedIn.current = true;
    setState({ status: 'signed-in', me });
  }, []);

  const forget = useCallback(() => {
    rememberPortalCsrfToken(null);
    // Whoever signs in next on this device sees nothing the last customer loaded; a visitor who was
    // never signed in keeps what the public pages loaded.
    if (signedIn.current) queryClient.clear();
    signedIn.current = false;
    setState({ status: 'signed-out' });
  }, []);

  const check = useCallback(() => {
    portalApi.me().then(accept, (error: unknown) => {
      if (error instanceof ApiError && error.status === 401) forget();
      else setState({ status: 'unreachable', error });
    });
  }, [accept, forget]);

  useEffect(() => {
    whenSignedOut(forget, PORTAL_SIGNED_OUT);
    check();
  }, [check, forget]);

  const signIn = useCallback(async (token: string) => accept(await exchange(token)), [accept]);

  const value = useMemo<PortalSessionValue>(
    () => ({
      state,
      me: state.status === 'signed-in' ? state.me : null,
      signIn,
      signOut: async () => {
        await portalApi.signOut().catch(() => undefined);
        forget();
      },
      retry: () => {
        setState({ status: 'checking' });
        check();
      },
    }),
    [state, signIn, forget, check],
  );

  return <PortalSessionContext.Provider value={value}>{children}</PortalSessionContext.Provider>;
}

export function usePortalSession(): PortalSessionValue {
  const session = useContext(PortalSessionContext);
  if (!session) throw new Error('usePortalSession needs a PortalSessionProvider above it');
  return session;
}

/** The signed-in customer, on pages that only render behind `RequirePortalSession`. */
export function usePortalMe(): PortalMe {
  const { me } = usePortalSession();
  if (!me) throw new Error('usePortalMe is only for pages behind the portal sign-in');
  return me;
}

/** Sends a visitor who is not signed in to the sign-in page, remembering where they were going. */
export function RequirePortalSession({ children }: { children: ReactNode }) {
  const { state, retry } = usePortalSession();
  const location = useLocation();
  if (state.status === 'checking') return <Loading what="your account" />;
  if (state.status === 'unreachable') return <ErrorNotice error={state.error} onRetry={retry} />;
  if (state.status === 'signed-out') return <Navigate to="/portal/sign-in" replace state={{ from: location }} />;
  return children;
}
