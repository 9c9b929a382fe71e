// The engine floor's workflow: an onboarding's shape (its regular and local activities, one after the
// other) with nothing of the project in it, so the bench can show what Temporal itself costs.
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';

type Steps = { step(): Promise<void> };
const regular = proxyActivities<Steps>({ startToCloseTimeout: '10 seconds' });
const local = proxyLocalActivities<Steps>({ startToCloseTimeout: '10 seconds' });

export async function engineFloor(activities: number, localActivities: number): Promise<void> {
  for (let i = 0; i < localActivities; i++) await local.step();
  for (let i = 0; i < activities; i++) await regular.step();
}
