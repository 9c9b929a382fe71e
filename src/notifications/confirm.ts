// Confirms an SNS subscription by fetching the SubscribeURL of a verified SubscriptionConfirmation.
// The message is signed, so the URL is SNS's; it is still held to https on the SNS host of the accepted
// topic's region, for that topic (or to a trusted local origin), and fetched through the address guard
// (public addresses only, connection pinned to the vetted address), so that this service never makes a
// request elsewhere on anyone's behalf.
import axios, { type AxiosInstance, type AxiosRequestConfig } from 'axios';
import { vetHost, type HostResolver } from '../net/address-guard';
import { parseTopicArn, snsHostOf } from './sns';

export interface SubscriptionConfirmerOptions {
  /** The topic accepted (the verifier's): SubscribeURL must be on its region's SNS host, for it. */
  topicArn: string;
  /** Origins besides SNS's allowed (only the local simulator's, e.g. `http://127.0.0.1:4010`). */
  trustedOrigins?: readonly string[];
  /** Default 5 s. */
  timeoutMs?: number;
  /** Replaces DNS (tests). */
  resolve?: HostResolver;
  http?: AxiosInstance;
}

export class SubscriptionNotConfirmed extends Error {
  override readonly name = 'SubscriptionNotConfirmed';
}

export function createSubscriptionConfirmer({
  topicArn,
  trustedOrigins = [],
  timeoutMs = 5000,
  resolve,
  http = axios,
}: SubscriptionConfirmerOptions): (subscribeUrl: string) => Promise<void> {
  const topic = parseTopicArn(topicArn);
  if (!topic) throw new RangeError('topicArn must be an SNS topic ARN');
  const host = snsHostOf(topic);
  const origins = new Set(trustedOrigins.map((o) => new URL(o).origin));
  return async (subscribeUrl) => {
    let url: URL;
    try {
      url = new URL(subscribeUrl);
    } catch {
      throw new SubscriptionNotConfirmed('SubscribeURL is not a URL');
    }
    const trusted = origins.has(url.origin);
    const sns =
      url.protocol === 'https:' &&
      url.port === '' &&
      url.hostname === host &&
      url.username === '' &&
      url.password === '' &&
      url.searchParams.get('TopicArn') === topicArn;
    if (!sns && !trusted) {
      throw new SubscriptionNotConfirmed(
        `SubscribeURL is not an https URL on ${host} for the accepted topic`,
      );
    }
    let status: number;
    try {
      const { lookup } = await vetHost(url.hostname, { allowLoopback: trusted, resolve });
      const res = await http.get(url.href, {
        responseType: 'text',
        transformResponse: (data: unknown) => data,
        timeout: timeoutMs,
        maxRedirects: 0,
        maxContentLength: 64 * 1024,
        validateStatus: () => true,
        proxy: false, // a proxy would connect in our place, to an address nobody checked
        lookup: lookup as AxiosRequestConfig['lookup'],
      });
      status = res.status;
    } catch (err) {
      throw new SubscriptionNotConfirmed('SubscribeURL could not be fetched', { cause: err });
    }
    if (status < 200 || status >= 300) {
      throw new SubscriptionNotConfirmed(`SubscribeURL answered HTTP ${status}`);
    }
  };
}
