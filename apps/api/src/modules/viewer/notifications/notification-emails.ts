import type { MailMessage } from '@kush/infra';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The email twin of an in-app notification. Everything user-supplied is escaped in the HTML part. */
export function notificationEmail(
  to: string,
  name: string,
  content: { subject: string; body: string; url?: string | null },
  webUrl: string,
): MailMessage {
  const link = content.url ? `${webUrl}${content.url}` : webUrl;
  const settings = `${webUrl}/account/notifications`;
  const paragraphs = [`Hello ${name},`, ...content.body.split(/\n{2,}/)];
  return {
    to,
    subject: content.subject,
    text: `${paragraphs.join('\n\n')}\n\nOpen Kush Films: ${link}\n\nChoose which emails you get: ${settings}\n`,
    html: `<!doctype html><html><body style="font-family:system-ui,sans-serif;background:#0b0b0f;color:#f4f4f5;padding:24px">
<h1 style="color:#f59e0b;font-size:20px">Kush Films</h1><h2 style="font-size:18px">${escape(content.subject)}</h2>
${paragraphs.map((p) => `<p>${escape(p).replace(/\n/g, '<br>')}</p>`).join('\n')}
<p><a href="${escape(link)}" style="background:#f59e0b;color:#0b0b0f;padding:10px 16px;border-radius:6px;text-decoration:none">Open Kush Films</a></p>
<p style="color:#a1a1aa;font-size:12px">Choose which emails you get: <a href="${escape(settings)}" style="color:#a1a1aa">${escape(settings)}</a></p></body></html>`,
  };
}
