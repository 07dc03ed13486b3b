import { z } from 'zod';
import { Role } from './roles';
import { Timestamp } from './common';

/**
 * The API's session cookies: the access token (path /, sent with every page request) and the
 * refresh token (path /api/v1/auth only). Named here so the web app can tell a request that carries
 * no session from one whose session must be asked about.
 */
export const ACCESS_COOKIE = 'kf_at';
export const REFRESH_COOKIE = 'kf_rt';

/** Normalises a Ugandan local number (0772…) or an international one to E.164. */
export function normalizePhone(input: string): string {
  const digits = input.replace(/[\s\-().]/g, '');
  if (/^0[1-9]\d{8}$/.test(digits)) return `+256${digits.slice(1)}`;
  if (/^256\d{9}$/.test(digits)) return `+${digits}`;
  return digits;
}

export const Email = z
  .string()
  .trim()
  .max(254)
  .toLowerCase()
  .pipe(z.email({ message: 'must be a valid email address' }));

export const Phone = z
  .string()
  .trim()
  .max(32)
  .transform(normalizePhone)
  .pipe(z.string().regex(/^\+[1-9]\d{7,14}$/, 'must be a phone number in international format, e.g. +256772123456'));

export const Password = z.string().min(8, 'must be at least 8 characters').max(256, 'must be at most 256 characters');

/** An email address or a phone number; which one is decided by the presence of "@". */
export const LoginIdentifier = z
  .string()
  .trim()
  .min(3)
  .max(254)
  .transform((v) => (v.includes('@') ? v.toLowerCase() : normalizePhone(v)));

export const TokenDelivery = z
  .enum(['cookie', 'body'])
  .default('cookie')
  .describe(
    'cookie: httpOnly cookies for browsers (no tokens in the body); body: tokens in the response for mobile and other clients',
  );

export const RegisterBody = z
  .strictObject({
    email: Email.optional(),
    phone: Phone.optional(),
    password: Password,
    displayName: z.string().trim().min(1).max(80),
    tokenDelivery: TokenDelivery,
  })
  .refine((b) => b.email || b.phone, { message: 'an email address or a phone number is required', path: ['email'] });

export const LoginBody = z.strictObject({
  identifier: LoginIdentifier.describe('email address or phone number'),
  password: z.string().min(1).max(256),
  tokenDelivery: TokenDelivery,
});

export const RefreshBody = z
  .strictObject({
    refreshToken: z.string().min(20).max(200).optional().describe('omit when using the refresh cookie'),
    tokenDelivery: TokenDelivery,
  })
  .default({ tokenDelivery: 'cookie' });

export const LogoutBody = z.strictObject({ refreshToken: z.string().min(20).max(200).optional() }).default({});

export const ForgotPasswordBody = z.strictObject({ identifier: LoginIdentifier });
export const ResetPasswordBody = z.strictObject({ token: z.string().min(20).max(200), password: Password });
export const VerifyEmailBody = z.strictObject({ token: z.string().min(20).max(200) });
export const ChangePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: Password,
});

export const User = z
  .object({
    id: z.uuid(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    displayName: z.string(),
    roles: z.array(Role),
    status: z.enum(['active', 'suspended']),
    emailVerified: z.boolean(),
    createdAt: Timestamp,
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof User>;

export const Me = User.extend({ permissions: z.array(z.string()) }).meta({ id: 'Me' });

export const AuthResult = z
  .object({
    user: User,
    sessionId: z.uuid(),
    accessTokenExpiresAt: Timestamp,
    accessToken: z.string().optional(),
    refreshToken: z.string().optional(),
  })
  .meta({ id: 'AuthResult' });
export type AuthResult = z.infer<typeof AuthResult>;

export const Session = z
  .object({
    id: z.uuid(),
    userAgent: z.string().nullable(),
    ip: z.string().nullable(),
    createdAt: Timestamp,
    lastUsedAt: Timestamp,
    current: z.boolean(),
  })
  .meta({ id: 'Session' });

export const Accepted = z.object({ message: z.string() });
