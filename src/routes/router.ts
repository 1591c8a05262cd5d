import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppContext } from '../context';
import { issuesToDetails, ValidationError } from '../lib/errors';
import { refuseNulCharacters } from '../lib/nul-characters';

/**
 * Every sub-app is made here so a failed body, query or path validation becomes the same
 * VALIDATION_FAILED envelope as a thrown error, and so every validated input (path, query, JSON
 * body) is refused with the same 400 when a string in it holds a NUL character, which Postgres
 * cannot store.
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
      refuseNulCharacters(result.data, result.target);
    },
  });
}
