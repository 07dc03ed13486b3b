import { ErrorBody } from '@kush/contracts';
import type { FastifyRequest } from 'fastify';
import type { StaffContext } from './staff-change';

/** What every staff route shares: its permission, its error responses and the audit context. */
export const staffConfig = { auth: 'catalog:manage' as const };
export const staffErrors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
export { NoContent } from '@kush/contracts';

export function staffOf(request: FastifyRequest): StaffContext {
  return { actorId: request.principal!.userId, requestId: request.id, ip: request.ip };
}
