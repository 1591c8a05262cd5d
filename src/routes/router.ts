import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppContext } from '../context';
import { issuesToDetails, ValidationError } from '../lib/errors';

/**
 * Every sub-app is made here so a failed body, query or path validation becomes the same
 * VALIDATION_FAILED envelope as a thrown error.
 */
export function createRouter() {
  return new OpenAPIHono<AppContext>({
    defaultHook: (result) => {
      if (!result.success) {
        throw new ValidationError(
          'Request validation failed',
          issuesToDetails(result.error.issues, result.target),
        );
      }
    },
  });
}
