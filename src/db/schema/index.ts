// The whole data model. Import tables from here: `import { orders, products } from '../db/schema'`.

export * from './ads';
export * from './alerts';
export * from './amazon';
export * from './auth';
export * from './finance';
export * from './ops';
export * from './orders';
export * from './products';
export * from './relations';
export * from './roles';
export * from './rollups';
export * from './sync';
export * from './tenants';
