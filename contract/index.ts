/** Anju's contract: the one module of schemas and types that gateway, platform, simulators and dashboard share. */
export * from './api.ts';
export * from './device-kinds/index.ts';
export * from './device-payloads.ts';
export * from './errors.ts';
export * from './ids.ts';
export * from './kiosks.ts';
export * from './levels.ts';
export * from './live.ts';
export * from './requests.ts';
export * from './rules.ts';
export * from './text.ts';
export * from './topics.ts';
export * from './care.ts';
export * from './indicators.ts';
