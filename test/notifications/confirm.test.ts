// The subscription confirmer: SubscribeURL only on the SNS host of the accepted topic's region, for that
// topic, and only on a public address (names resolved by a table, never real DNS).
import { isIP } from 'node:net';
import type { HostResolver } from '../../src/net/address-guard';
import { SANDBOX_TOPIC_ARN } from '../../src/notifications/sns';
import { createSubscriptionConfirmer, SubscriptionNotConfirmed } from '../../src/notifications/confirm';
import { startSnsFixture, type SnsFixture } from './sns-fixture';

let sns: SnsFixture;
beforeAll(async () => {
  sns = await startSnsFixture();
  sns.routes.set('/confirm', (_req, res) => res.writeHead(200).end('<ConfirmSubscriptionResponse/>'));
});
afterAll(() => sns.close());
beforeEach(() => {
  sns.requests.length = 0;
});

const topic = encodeURIComponent(SANDBOX_TOPIC_ARN);
const snsUrl = (host = 'sns.us-east-1.amazonaws.com', topicArn = topic) =>
  `https://${host}/?Action=ConfirmSubscription&TopicArn=${topicArn}&Token=tok`;

function resolver(address: string) {
  const calls: string[] = [];
  const resolve: HostResolver = async (host) => {
    calls.push(host);
    return [{ address, family: isIP(address) }];
  };
  return { resolve, calls };
}

test.each([
  ['an S3 bucket host', snsUrl('sns.s3.amazonaws.com')],
  ["another region's SNS host", snsUrl('sns.eu-west-1.amazonaws.com')],
  ['another topic', snsUrl(undefined, encodeURIComponent('arn:aws:sns:us-east-1:123456789012:mine'))],
  ['no topic', 'https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&Token=tok'],
  ['http', snsUrl().replace('https:', 'http:')],
  ['another port', snsUrl('sns.us-east-1.amazonaws.com:8443')],
])('a SubscribeURL on %s is refused without a lookup', async (_name, url) => {
  const { resolve, calls } = resolver('127.0.0.1');
  const confirm = createSubscriptionConfirmer({ topicArn: SANDBOX_TOPIC_ARN, resolve });
  await expect(confirm(url)).rejects.toBeInstanceOf(SubscriptionNotConfirmed);
  expect(calls).toEqual([]);
});

test("SNS's host resolving to an internal address is not fetched from", async () => {
  for (const address of ['127.0.0.1', '169.254.169.254', 'fd00::1', '::ffff:10.0.0.1']) {
    const { resolve, calls } = resolver(address);
    const confirm = createSubscriptionConfirmer({ topicArn: SANDBOX_TOPIC_ARN, resolve });
    const err = await confirm(snsUrl()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SubscriptionNotConfirmed);
    expect((err as Error).message).toBe('SubscribeURL could not be fetched');
    expect(calls).toEqual(['sns.us-east-1.amazonaws.com']);
  }
});

test('a trusted local origin (the simulator) may be on loopback', async () => {
  const confirm = createSubscriptionConfirmer({ topicArn: SANDBOX_TOPIC_ARN, trustedOrigins: [sns.origin] });
  await confirm(`${sns.origin}/confirm?Token=tok`);
  expect(sns.requests).toEqual(['/confirm?Token=tok']);
});
