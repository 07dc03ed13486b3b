import { ErrorBody } from '@kush/contracts';

export const errors = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  429: ErrorBody,
};
export { NoContent } from '@kush/contracts';
