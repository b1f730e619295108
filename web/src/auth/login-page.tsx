import { Navigate, useLocation } from 'react-router-dom';
import { Brand } from '../shell/brand.js';
import { FormError, TextField, useForm } from '../ui/form.js';
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
  const form = useForm({ email: '', password: '' }, signIn);

  if (user) return <Navigate to={returnPath(location.state)} replace />;

  return (
    <main className="login">
      <form className="login-card" onSubmit={form.submit}>
        <Brand large />
        <h1>Sign in to your workspace</h1>
        <FormError message={form.errors.general} />
        <TextField form={form} name="email" label="Email" type="email" autoComplete="username" required autoFocus />
        <TextField
          form={form}
          name="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          required
        />
        <button type="submit" className="button button-primary button-block" disabled={form.saving}>
          {form.saving ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
