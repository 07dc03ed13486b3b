import { ErrorBody } from '@kush/contracts';
import { z } from 'zod';

export const errors = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  429: ErrorBody,
};
export const NoContent = z.null().describe('No content');
