import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { type Mailer, type MailMessage } from './types';

function envelope(from: string, message: MailMessage) {
  return { from, to: message.to, subject: message.subject, text: message.text, html: message.html };
}

/**
 * Development mail: each message becomes an RFC 822 file in `dir`, named so a directory listing
 * sorts by time. Colons are left out of the timestamp so the names are valid on every filesystem.
 */
export function createOutboxMailer(dir: string, from: string): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    driver: 'outbox',
    async send(message) {
      await mkdir(dir, { recursive: true });
      const info = await transport.sendMail(envelope(from, message));
      const timestamp = new Date().toISOString().replace(/[:.]/g, '-');
      const safeId = info.messageId.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9._-]/g, '_');
      await writeFile(path.join(dir, `${timestamp}-${safeId}.eml`), info.message as Buffer, { flag: 'wx' });
      return { messageId: info.messageId };
    },
    async close() {
      transport.close();
    },
  };
}

/** `smtpUrl` as nodemailer reads it, e.g. smtps://user:pass@smtp.example.com:465. */
export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    driver: 'smtp',
    async send(message) {
      const info = await transport.sendMail(envelope(from, message));
      return { messageId: info.messageId };
    },
    async close() {
      transport.close();
    },
  };
}
