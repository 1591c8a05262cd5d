import { describe, expect, it } from 'vitest';
import sellersModel from '../../../shared/amazon-models/sp-api/sellers.json';
import { connect, sp } from './helpers';

describe('smoke', () => {
  it('connects and lists marketplaces', async () => {
    const s = await connect();
    const res = await sp(s, '/sellers/v1/marketplaceParticipations');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-amzn-RateLimit-Limit')).toBe('0.016');
    expect(sellersModel.swagger).toBe('2.0');
  });
});
