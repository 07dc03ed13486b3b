'use client';
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError } from '@/lib/api/browser';

export interface AuthStrings {
  identifier: string;
  password: string;
  email: string;
  phone: string;
  displayName: string;
  newPassword: string;
  signInButton: string;
  registerButton: string;
  forgotButton: string;
  forgotSent: string;
  resetButton: string;
  resetDone: string;
  verifyWorking: string;
  verifyDone: string;
  verifyButton: string;
  emailOrPhoneHint: string;
  errorGeneric: string;
  working: string;
  navSignIn: string;
}

export const inputClass =
  'min-h-11 w-full rounded-md border border-line bg-surface px-3 text-fg placeholder:text-muted focus:border-gold';
export const primaryButton =
  'min-h-11 w-full rounded-md bg-gold px-5 font-semibold text-ink hover:bg-gold/90 disabled:opacity-60';

/** The API's message is written for people (validation, wrong password, rate limit); 5xx are generic. */
export function errorMessage(error: unknown, fallback: string): string {
  if (error instanceof ApiError && error.status > 0 && error.status < 500) {
    const details = error.details as { issues?: { path?: string; message?: string }[] } | undefined;
    const issue = details?.issues?.[0];
    return issue?.message ? `${error.message} (${issue.path ? `${issue.path}: ` : ''}${issue.message})` : error.message;
  }
  return error instanceof ApiError && error.status === 0 ? error.message : fallback;
}

export function Field({ label, children, hint }: { label: string; children: ReactNode; hint?: string }) {
  return (
    <label className="flex flex-col gap-1 text-sm font-semibold">
      {label}
      {children}
      {hint ? <span className="text-xs font-normal text-muted">{hint}</span> : null}
    </label>
  );
}

export function FormMessage({ error, success }: { error: string | null; success?: string | null }) {
  if (error)
    return (
      <p role="alert" className="rounded-md border border-down/40 bg-down/10 p-3 text-sm">
        {error}
      </p>
    );
  if (success)
    return (
      <p role="status" className="rounded-md border border-ok/40 bg-ok/10 p-3 text-sm">
        {success}
      </p>
    );
  return null;
}

/** Submits once at a time and turns failures into the API's readable message. */
export function useSubmit(fallback: string) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(errorMessage(e, fallback));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

const text = (data: FormData, name: string) => String(data.get(name) ?? '').trim();

/** After signing in, choose a profile first, then go where the visitor was heading. */
const afterSignIn = (next: string) => window.location.assign(`/profiles?next=${encodeURIComponent(next)}`);

/**
 * The frame every auth form shares: its fields, then the API's error (or a success message), then
 * one submit button that says it is working while the request runs.
 */
function AuthForm({
  t,
  submitLabel,
  onSubmit,
  success,
  children,
}: {
  t: AuthStrings;
  submitLabel: string;
  onSubmit: (data: FormData) => Promise<void>;
  success?: string | null;
  children: ReactNode;
}) {
  const { busy, error, run } = useSubmit(t.errorGeneric);
  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={(event: FormEvent<HTMLFormElement>) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        void run(() => onSubmit(data));
      }}
    >
      {children}
      <FormMessage error={error} success={success} />
      <button type="submit" disabled={busy} className={primaryButton}>
        {busy ? t.working : submitLabel}
      </button>
    </form>
  );
}

function NewPasswordField({ label }: { label: string }) {
  return (
    <Field label={label}>
      <input
        name="password"
        type="password"
        required
        minLength={8}
        autoComplete="new-password"
        className={inputClass}
      />
    </Field>
  );
}

export function LoginForm({ t, next }: { t: AuthStrings; next: string }) {
  return (
    <AuthForm
      t={t}
      submitLabel={t.signInButton}
      onSubmit={async (data) => {
        await api('/v1/auth/login', {
          method: 'POST',
          body: { identifier: text(data, 'identifier'), password: String(data.get('password') ?? '') },
        });
        afterSignIn(next);
      }}
    >
      <Field label={t.identifier}>
        <input name="identifier" required autoComplete="username" inputMode="email" className={inputClass} />
      </Field>
      <Field label={t.password}>
        <input name="password" type="password" required autoComplete="current-password" className={inputClass} />
      </Field>
    </AuthForm>
  );
}

export function RegisterForm({ t, next }: { t: AuthStrings; next: string }) {
  return (
    <AuthForm
      t={t}
      submitLabel={t.registerButton}
      onSubmit={async (data) => {
        const email = text(data, 'email');
        const phone = text(data, 'phone');
        await api('/v1/auth/register', {
          method: 'POST',
          body: {
            displayName: text(data, 'displayName'),
            ...(email ? { email } : {}),
            ...(phone ? { phone } : {}),
            password: String(data.get('password') ?? ''),
          },
        });
        afterSignIn(next);
      }}
    >
      <Field label={t.displayName}>
        <input name="displayName" required maxLength={80} autoComplete="name" className={inputClass} />
      </Field>
      <p className="text-sm text-muted">{t.emailOrPhoneHint}</p>
      <Field label={t.email}>
        <input name="email" type="email" autoComplete="email" className={inputClass} />
      </Field>
      <Field label={t.phone}>
        <input name="phone" type="tel" autoComplete="tel" placeholder="0772 123456" className={inputClass} />
      </Field>
      <NewPasswordField label={t.newPassword} />
    </AuthForm>
  );
}

export function ForgotPasswordForm({ t }: { t: AuthStrings }) {
  const [sent, setSent] = useState(false);
  return (
    <AuthForm
      t={t}
      submitLabel={t.forgotButton}
      success={sent ? t.forgotSent : null}
      onSubmit={async (data) => {
        await api('/v1/auth/password/forgot', { method: 'POST', body: { identifier: text(data, 'identifier') } });
        setSent(true);
      }}
    >
      <Field label={t.identifier}>
        <input name="identifier" required autoComplete="username" className={inputClass} />
      </Field>
    </AuthForm>
  );
}

export function ResetPasswordForm({ t, token }: { t: AuthStrings; token: string }) {
  const [done, setDone] = useState(false);
  if (done)
    return (
      <div className="flex flex-col gap-4">
        <FormMessage error={null} success={t.resetDone} />
        <a href="/login" className={`${primaryButton} inline-flex items-center justify-center`}>
          {t.navSignIn}
        </a>
      </div>
    );
  return (
    <AuthForm
      t={t}
      submitLabel={t.resetButton}
      onSubmit={async (data) => {
        await api('/v1/auth/password/reset', {
          method: 'POST',
          body: { token, password: String(data.get('password') ?? '') },
        });
        setDone(true);
      }}
    >
      <NewPasswordField label={t.newPassword} />
    </AuthForm>
  );
}

/**
 * Confirms on load (the link in the email is the viewer's intent); the button is there for a
 * retry, and for browsers without JavaScript it explains what to do.
 */
export function VerifyEmail({ t, token }: { t: AuthStrings; token: string }) {
  const { busy, error, run } = useSubmit(t.errorGeneric);
  const [done, setDone] = useState(false);
  const started = useRef(false);
  const verify = () =>
    run(async () => {
      await api('/v1/auth/email/verify', { method: 'POST', body: { token } });
      setDone(true);
    });
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void verify();
  }, []);
  if (done) return <FormMessage error={null} success={t.verifyDone} />;
  return (
    <div className="flex flex-col gap-4">
      <FormMessage error={error} />
      <button type="button" disabled={busy} onClick={() => void verify()} className={primaryButton}>
        {busy ? t.verifyWorking : t.verifyButton}
      </button>
    </div>
  );
}
