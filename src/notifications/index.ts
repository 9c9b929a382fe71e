// Circle's v1 notifications (Amazon SNS): verify, drop duplicates, relay to the onboarding workflows.
export * from './confirm';
export * from './dedupe';
export * from './payload';
export * from './problem';
export * from './receiver';
export * from './relay';
export * from './sns';
export * from './verify';
