import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppContext } from '../context';
import { ValidationError } from './errors';

interface ZodLikeIssue {
  path: PropertyKey[];
  message: string;
  code: string;
}

/** Field-level details for the error envelope: `[{ field: 'body.email', message, code }]`. */
export function issuesToDetails(issues: readonly ZodLikeIssue[], target?: string) {
  return issues.map((issue) => ({
    field: [target, ...issue.path.map(String)].filter(Boolean).join('.') || '(root)',
    message: issue.message,
    code: issue.code,
  }));
}

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
