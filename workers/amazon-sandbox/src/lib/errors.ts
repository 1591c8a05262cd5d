import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export type SpErrorBody = {
  errors: { code: string; message: string; details?: string }[];
};

export const spErrorBody = (code: string, message: string, details?: string): SpErrorBody => ({
  errors: [{ code, message, ...(details !== undefined ? { details } : {}) }],
});

/** SP-API's error envelope. */
export function spError(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  details?: string,
): Response {
  return c.json(spErrorBody(code, message, details), status);
}

export const invalidInput = (c: Context, message: string): Response =>
  spError(c, 400, 'InvalidInput', message);
export const notFound = (c: Context, message = 'Resource not found'): Response =>
  spError(c, 404, 'NotFound', message);

/** Login with Amazon's error shape. */
export const lwaError = (c: Context, status: 400 | 401, error: string, description: string): Response =>
  c.json({ error, error_description: description }, status);
