import type { SandboxEnv } from '../env';

export const sellerStub = (env: SandboxEnv, owner: string) =>
  env.SELLER_STATE.get(env.SELLER_STATE.idFromName(owner));
