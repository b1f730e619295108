import { useState, type FormEvent } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { Brand } from '../shell/brand.js';
import { Field, FormError, formErrors, useSubmission } from '../ui/form.js';
import { useDocumentTitle } from '../ui/page.js';
import { useSession } from './session.js';
import './auth.css';

/** Where to go after signing in: the page that sent the user here, or the start page. */
function returnPath(state: unknown): string {
  const from = (state as { from?: { pathname?: string; search?: string } } | null)?.from;
  return from?.pathname && from.pathname !== '/login' ? `${from.pathname}${from.search ?? ''}` : '/';
}

export function LoginPage() {
  useDocumentTitle('Sign in');
  const { user, signIn } = useSession();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const submission = useSubmission(signIn);
  const errors = formErrors(submission.error, ['email', 'password']);

  if (user) return <Navigate to={returnPath(location.state)} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run({ email, password });
  };

  return (
    <main className="login">
      <form className="login-card" onSubmit={submit}>
        <Brand large />
        <h1>Sign in to your workspace</h1>
        <FormError message={errors.general} />
        <Field label="Email" htmlFor="login-email" error={errors.fields.email}>
          <input
            id="login-email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            autoFocus
          />
        </Field>
        <Field label="Password" htmlFor="login-password" error={errors.fields.password}>
          <input
            id="login-password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </Field>
        <button type="submit" className="button button-primary button-block" disabled={submission.saving}>
          {submission.saving ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
