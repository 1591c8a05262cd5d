import type { RateLimitMode } from '../state/types';

const MODES: readonly RateLimitMode['mode'][] = ['official', 'sandbox', 'off'];

export const rateLimitMode = (value: string | undefined): RateLimitMode['mode'] =>
  MODES.includes(value as RateLimitMode['mode']) ? (value as RateLimitMode['mode']) : 'official';

export const isRateLimitMode = (value: unknown): value is RateLimitMode['mode'] =>
  MODES.includes(value as RateLimitMode['mode']);
