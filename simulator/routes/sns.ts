// SNS's own URLs, served by the simulator on its loopback origin (plain http): the signing certificate
// (SigningCertURL), ConfirmSubscription (SubscribeURL) and Unsubscribe (UnsubscribeURL). The answers are
// SNS's XML, which receivers usually ignore beyond the status.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { SimContext } from '../context';
import { ApiError, circleFail } from '../errors';
import { queryParam } from '../http';
import { SANDBOX_TOPIC_ARN } from '../notifications/sns-wire';

const SNS_XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';

export function snsRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.get('/_sim/sns/confirm', async (request, reply) => {
    const token = queryParam(request, 'Token');
    if (!token) throw circleFail(400, 'Token is required');
    const topic = queryParam(request, 'TopicArn');
    if (topic !== undefined && topic !== SANDBOX_TOPIC_ARN)
      throw circleFail(400, `Unknown TopicArn ${topic}`);
    const subscription = ctx.notifications.confirm(token);
    const result = `<ConfirmSubscriptionResult><SubscriptionArn>${subscription.arn}</SubscriptionArn></ConfirmSubscriptionResult>`;
    return reply.type('text/xml').send(xml('ConfirmSubscriptionResponse', result));
  });

  app.get('/_sim/sns/unsubscribe', async (request, reply) => {
    const arn = queryParam(request, 'SubscriptionArn');
    if (!arn) throw circleFail(400, 'SubscriptionArn is required');
    ctx.notifications.unsubscribe(arn);
    return reply.type('text/xml').send(xml('UnsubscribeResponse', ''));
  });

  app.get<{ Params: { file: string } }>('/_sim/sns/:file', async (request, reply) => {
    const { signer } = ctx.notifications;
    // Only this start's certificate: one from an earlier run is gone, as SNS retires old ones.
    if (request.params.file !== signer.certName) {
      throw new ApiError(404, { code: 404, message: `No certificate ${request.params.file}` });
    }
    return reply.type('application/x-pem-file').send(signer.certPem);
  });
}

function xml(root: string, result: string): string {
  const metadata = `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${SNS_XMLNS}">${result}${metadata}</${root}>\n`;
}
