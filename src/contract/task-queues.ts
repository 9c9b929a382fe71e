// Where the onboarding's tasks go. Workflows (and activities that call no partner) use the task queue
// the onboarding was started on; each partner's activities have a queue of their own beside it, so a
// cluster-wide rate limit (`maxTaskQueueActivitiesPerSecond`) can hold every worker replica to the
// partner's limit at once.

export const PROVIDERS = ['circle', 'clive'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** `circle-onboarding` -> `circle-onboarding-circle`: the queue of one partner's activities. */
export function providerTaskQueue(taskQueue: string, provider: Provider): string {
  return `${taskQueue}-${provider}`;
}
