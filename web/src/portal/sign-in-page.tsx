import { useEffect, useState } from 'react';
import { Link, Navigate, useLocation, useNavigate, type Location } from 'react-router-dom';
import { FormError, TextField, useForm } from '../ui/form.js';
import { ErrorNotice, Loading, messageOf, Notice } from '../ui/states.js';
import { PortalHeader } from './portal-layout.js';
import { usePortalSession } from './portal-session.js';
import { portalApi } from './portal.api.js';

/** Where to go once signed in: the page the visitor was sent away from, else the inbox. */
function useDestination(): string {
  const location = useLocation();
  const from = (location.state as { from?: Location } | null)?.from;
  return from ? `${from.pathname}${from.search}` : '/portal';
}

/** Opening a sign-in link: the token after `#` (never sent to any server in the address) becomes a session. */
function LinkSignIn({ token }: { token: string }) {
  const { signIn, state } = usePortalSession();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>();
  // The first check of the session answers before the exchange, so its "not signed in" cannot undo it.
  const checked = state.status !== 'checking';
  useEffect(() => {
    // The token leaves the address at once, so it is neither in the history nor shown to anyone.
    window.history.replaceState(window.history.state, '', window.location.pathname);
  }, []);
  useEffect(() => {
    if (!checked) return;
    signIn(token).then(
      () => navigate('/portal', { replace: true }),
      (failure: unknown) => setError(failure),
    );
  }, [checked, token, signIn, navigate]);
  if (error === undefined) return <Loading what="your account" />;
  return (
    <>
      <ErrorNotice error={error} />
      <p>
        A sign-in link works once and for 15 minutes. <Link to="/portal/sign-in">Ask for a new link</Link>.
      </p>
    </>
  );
}

/** Asking for a link: the answer is the same whether the address is known or not. */
function AskForLink() {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useForm({ email: '' }, async ({ email }) => {
    await portalApi.requestLink(email.trim());
    setSentTo(email.trim());
  });
  if (sentTo)
    return (
      <section className="card portal-card" aria-labelledby="check-inbox">
        <h2 id="check-inbox">Check your inbox</h2>
        <p>
          If <strong>{sentTo}</strong> belongs to an account with us, a sign-in link is on its way. It works once, for
          15 minutes.
        </p>
        <button type="button" className="button" onClick={() => setSentTo(null)}>
          Use another address
        </button>
      </section>
    );
  return (
    <form className="form card portal-card" onSubmit={form.submit} noValidate aria-label="Sign in">
      <p>Enter the email address we write to you at. We send you a link that signs you in, no password needed.</p>
      <FormError message={form.errors.general} />
      <TextField form={form} name="email" label="Email" type="email" autoComplete="email" inputMode="email" required />
      <button type="submit" className="button button-primary button-block" disabled={form.saving}>
        {form.saving ? 'Sending…' : 'Send me a sign-in link'}
      </button>
    </form>
  );
}

export function SignInPage() {
  const location = useLocation();
  const { me, state } = usePortalSession();
  const destination = useDestination();
  const token = location.hash.slice(1);
  const signedOut = (location.state as { signedOut?: boolean } | null)?.signedOut === true;
  if (me && !token) return <Navigate to={destination} replace />;
  return (
    <div className="portal-narrow">
      <PortalHeader title="Sign in" />
      {signedOut && !token && <Notice tone="success">You are signed out.</Notice>}
      {state.status === 'unreachable' && <Notice tone="error">{messageOf(state.error)}</Notice>}
      {token ? <LinkSignIn token={token} /> : <AskForLink />}
      <p className="muted">
        Looking for an answer? <Link to="/portal/help">Browse the help centre</Link> without signing in.
      </p>
    </div>
  );
}
