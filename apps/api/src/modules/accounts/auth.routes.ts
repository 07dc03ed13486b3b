import {
  Accepted,
  AppError,
  AuthResult,
  ErrorBody,
  ForgotPasswordBody,
  LoginBody,
  LogoutBody,
  NoContent,
  RefreshBody,
  RegisterBody,
  ResetPasswordBody,
  VerifyEmailBody,
} from '@kush/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { assertOrigin, clearSessionCookies, REFRESH_COOKIE, setSessionCookies } from '../../plugins/auth';
import type { AuthService, ClientMeta, IssuedSession } from './auth.service';

export interface AuthRoutesOptions {
  auth: AuthService;
  cookieSecure: boolean;
  allowedOrigins: string[];
}

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody, 429: ErrorBody };

export const clientMeta = (request: FastifyRequest): ClientMeta => ({
  ip: request.ip ?? null,
  userAgent: request.headers['user-agent'] ?? null,
});

export const authRoutes: FastifyPluginAsyncZod<AuthRoutesOptions> = async (
  app,
  { auth, cookieSecure, allowedOrigins },
) => {
  const origins = new Set(allowedOrigins);

  /** Browsers get httpOnly cookies and no tokens in the body; other clients get the tokens. */
  function deliver(reply: FastifyReply, issued: IssuedSession, delivery: 'cookie' | 'body') {
    const result: AuthResult = {
      user: issued.user,
      sessionId: issued.sessionId,
      accessTokenExpiresAt: issued.accessTokenExpiresAt,
    };
    if (delivery === 'cookie') {
      setSessionCookies(reply, issued, cookieSecure);
      return result;
    }
    return { ...result, accessToken: issued.accessToken, refreshToken: issued.refreshToken };
  }

  app.post(
    '/register',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Create an account with an email address or phone number',
        body: RegisterBody,
        response: { 201: AuthResult, ...errors },
      },
    },
    async (request, reply) => {
      const { tokenDelivery, ...input } = request.body;
      const issued = await auth.register(input, clientMeta(request));
      return reply.code(201).send(deliver(reply, issued, tokenDelivery));
    },
  );

  app.post(
    '/login',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email or phone and password',
        body: LoginBody,
        response: { 200: AuthResult, ...errors },
      },
    },
    async (request, reply) => {
      const issued = await auth.login(request.body.identifier, request.body.password, clientMeta(request));
      return deliver(reply, issued, request.body.tokenDelivery);
    },
  );

  app.post(
    '/refresh',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Exchange a refresh token for new tokens (rotated on every use)',
        body: RefreshBody,
        response: { 200: AuthResult, ...errors },
      },
    },
    async (request, reply) => {
      let token = request.body.refreshToken;
      let delivery = request.body.tokenDelivery;
      if (!token) {
        token = request.cookies[REFRESH_COOKIE];
        if (!token) throw new AppError('UNAUTHENTICATED', 'No refresh token was sent.');
        assertOrigin(request, origins);
        delivery = 'cookie';
      }
      try {
        return deliver(reply, await auth.refresh(token, clientMeta(request)), delivery);
      } catch (err) {
        if (delivery === 'cookie') clearSessionCookies(reply, cookieSecure);
        throw err;
      }
    },
  );

  app.post(
    '/logout',
    {
      config: { auth: 'optional' },
      schema: {
        tags: ['auth'],
        summary: 'End this session',
        body: LogoutBody,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      if (request.principal) await auth.logoutSession(request.principal);
      const token = request.body.refreshToken ?? request.cookies[REFRESH_COOKIE];
      if (token) await auth.logoutByRefreshToken(token);
      clearSessionCookies(reply, cookieSecure);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/password/forgot',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Email a single-use password reset link (same answer whether or not the account exists)',
        body: ForgotPasswordBody,
        response: { 202: Accepted, ...errors },
      },
    },
    async (request, reply) => {
      await auth.forgotPassword(request.body.identifier, clientMeta(request));
      return reply.code(202).send({ message: 'If an account matches, we have sent it a link to reset the password.' });
    },
  );

  app.post(
    '/password/reset',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Set a new password with an emailed token; signs out every device',
        body: ResetPasswordBody,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await auth.resetPassword(request.body.token, request.body.password);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/email/verify',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Confirm an email address with the emailed token',
        body: VerifyEmailBody,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await auth.verifyEmail(request.body.token);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/email/verify/resend',
    {
      config: { auth: 'account:self' },
      schema: { tags: ['auth'], summary: 'Send the verification email again', response: { 202: Accepted, ...errors } },
    },
    async (request, reply) => {
      await auth.resendEmailVerification(request.principal!);
      return reply.code(202).send({ message: 'We have sent a new verification email.' });
    },
  );
};
