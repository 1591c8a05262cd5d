import type { z } from '@hono/zod-openapi';
import { issuesToDetails, ValidationError } from './errors';
import { refuseNulCharacters } from './nul-characters';

/** Validates a re-shaped query the same way the route hook does (400 envelope on failure). */
export function parseQuery<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new ValidationError('Request validation failed', issuesToDetails(result.error.issues, 'query'));
  refuseNulCharacters(result.data, 'query');
  return result.data;
}
