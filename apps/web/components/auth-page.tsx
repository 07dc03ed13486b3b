import type { ReactNode } from 'react';

/** The narrow centred card every sign-in page uses. */
export function AuthCard({ heading, children, footer }: { heading: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <div className="mx-auto w-full max-w-sm">
      <h1 className="text-3xl font-black tracking-tight">{heading}</h1>
      <div className="mt-6 rounded-xl border border-line bg-surface p-5">{children}</div>
      {footer ? <div className="mt-4 text-sm text-muted">{footer}</div> : null}
    </div>
  );
}

export const AUTH_KEYS = [
  'identifier',
  'password',
  'email',
  'phone',
  'displayName',
  'newPassword',
  'signInButton',
  'registerButton',
  'forgotButton',
  'forgotSent',
  'resetButton',
  'resetDone',
  'verifyWorking',
  'verifyDone',
  'verifyButton',
  'emailOrPhoneHint',
  'errorGeneric',
  'working',
  'navSignIn',
] as const;
