// What other services use of the sync: queue jobs, and store a new Ads account's profiles.
export { storeProfiles } from './ads/ads-sync';
export type { NewJob } from './engine/jobs';
export { enqueueSyncs } from './engine/queue';
