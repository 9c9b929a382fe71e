// Heartbeats cost the server a request and a database write each: a call done in milliseconds sends
// none, a call that lasts sends them every few seconds (their answers bring it a cancellation).
import { MockActivityEnvironment } from '@temporalio/testing';
import { withHeartbeats } from '../../src/activities/context';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function counted() {
  const env = new MockActivityEnvironment();
  let heartbeats = 0;
  env.on('heartbeat', () => heartbeats++);
  return { env, heartbeats: () => heartbeats };
}

test('a quick call sends no heartbeat', async () => {
  const { env, heartbeats } = counted();
  await expect(env.run(() => withHeartbeats(async () => 'done'))).resolves.toBe('done');
  await expect(env.run(() => withHeartbeats(() => sleep(50).then(() => 'slower')))).resolves.toBe('slower');
  expect(heartbeats()).toBe(0);
});

test('a call that lasts is heartbeated every 3 s until it settles', async () => {
  const { env, heartbeats } = counted();
  await env.run(() => withHeartbeats(() => sleep(3_300)));
  expect(heartbeats()).toBe(1);
  await sleep(3_100); // stopped with the call
  expect(heartbeats()).toBe(1);
}, 15_000);
