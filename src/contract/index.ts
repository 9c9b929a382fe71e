// The onboarding contract for the worker, the CLI and other services: import from here. Workflow
// code imports the zod-free files (messages, progress, failures, search-attributes) directly.
export * from './failures';
export * from './input';
export * from './messages';
export * from './progress';
export * from './search-attributes';
export * from './start-onboarding';
export * from './workflow';
export * from './documents';
export * from './durations';
export * from './limits';
export * from './task-queues';
