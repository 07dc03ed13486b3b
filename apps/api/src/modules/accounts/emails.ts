import type { MailMessage } from '@kush/infra';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function layout(title: string, paragraphs: string[], action: { label: string; url: string }): string {
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;background:#0b0b0f;color:#f4f4f5;padding:24px">
<h1 style="color:#f59e0b;font-size:20px">Kush Films</h1><h2 style="font-size:18px">${escape(title)}</h2>
${paragraphs.map((p) => `<p>${escape(p)}</p>`).join('\n')}
<p><a href="${escape(action.url)}" style="background:#f59e0b;color:#0b0b0f;padding:10px 16px;border-radius:6px;text-decoration:none">${escape(action.label)}</a></p>
<p style="color:#a1a1aa;font-size:12px">If the button does not work, open this link: ${escape(action.url)}</p></body></html>`;
}

export function passwordResetEmail(to: string, name: string, url: string): MailMessage {
  const lines = [
    `Hello ${name},`,
    'Someone asked to reset the password of your Kush Films account. The link below works once, for 30 minutes.',
    'If it was not you, ignore this email: your password stays as it is.',
  ];
  return {
    to,
    subject: 'Reset your Kush Films password',
    text: `${lines.join('\n\n')}\n\nReset your password: ${url}\n`,
    html: layout('Reset your password', lines, { label: 'Choose a new password', url }),
  };
}

export function verifyEmailEmail(to: string, name: string, url: string): MailMessage {
  const lines = [
    `Welcome to Kush Films, ${name}!`,
    'Please confirm that this is your email address. The link works for 24 hours.',
  ];
  return {
    to,
    subject: 'Confirm your email for Kush Films',
    text: `${lines.join('\n\n')}\n\nConfirm your email: ${url}\n`,
    html: layout('Confirm your email', lines, { label: 'Confirm email', url }),
  };
}

export function passwordChangedEmail(to: string, name: string, url: string): MailMessage {
  const lines = [
    `Hello ${name},`,
    'The password of your Kush Films account was just changed and your other devices were signed out.',
    'If this was not you, reset your password now.',
  ];
  return {
    to,
    subject: 'Your Kush Films password was changed',
    text: `${lines.join('\n\n')}\n\n${url}\n`,
    html: layout('Your password was changed', lines, { label: 'Reset password', url }),
  };
}
