// The bench's reading of the Temporal server's Prometheus counters.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseServerCounts, serverCostBetween, serverMeter } from '../server-metrics';

const scrape = (heartbeats: number, updates: number) => `
# HELP service_requests service_requests counter
# TYPE service_requests counter
service_requests{namespace="default",operation="RespondActivityTaskCompleted",service_name="frontend"} 40
service_requests{namespace="default",operation="RecordActivityTaskHeartbeat",service_name="frontend"} ${heartbeats}
service_requests{namespace="default",operation="RecordActivityTaskHeartbeat",service_name="history"} ${heartbeats}
persistence_requests{namespace="default",operation="UpdateWorkflowExecution",service_name="history"} ${updates}
persistence_requests{namespace="_unknown_",operation="UpdateWorkflowExecution",service_name="matching"} 1
visibility_persistence_requests{namespace="default",operation="UpsertWorkflowExecution",service_name="history"} 5
persistence_latency_count{namespace="default",operation="UpdateWorkflowExecution",service_name="history"} 999
service_requests{namespace="default",operation="Broken",service_name="frontend"} NaN
`;

test('counts requests per service and operation, and persistence per operation over services', () => {
  const counts = parseServerCounts(scrape(7, 30));
  expect(counts.requests.get('frontend/RecordActivityTaskHeartbeat')).toBe(7);
  expect(counts.requests.get('history/RecordActivityTaskHeartbeat')).toBe(7);
  expect(counts.requests.has('frontend/Broken')).toBe(false);
  expect(counts.persistence.get('UpdateWorkflowExecution')).toBe(31); // history + matching
  expect(counts.persistence.get('visibility/UpsertWorkflowExecution')).toBe(5);
  expect(counts.persistence.size).toBe(2); // latency histograms are not requests
});

test('the cost between two scrapes is per onboarding, largest first, without what did not move', () => {
  const cost = serverCostBetween(parseServerCounts(scrape(7, 30)), parseServerCounts(scrape(27, 70)), 10);
  expect(cost).toEqual({
    requests: 4,
    persistenceRequests: 4,
    topRequests: { 'frontend/RecordActivityTaskHeartbeat': 2, 'history/RecordActivityTaskHeartbeat': 2 },
    topPersistence: { UpdateWorkflowExecution: 4 },
  });
});

test('the meter reads counters once they stop moving, as the server publishes them late', async () => {
  let current = 7;
  const late: number[] = []; // what the endpoint shows on its next scrapes, before `current` again
  let scrapes = 0;
  const server = createServer((_, res) => {
    scrapes++;
    current = late.shift() ?? current;
    res.end(scrape(current, 0));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const used = await serverMeter(`http://127.0.0.1:${port}/metrics`);
    expect(scrapes).toBe(2); // 7 twice: settled
    late.push(10, 27); // the work's heartbeats show up over two scrapes
    const cost = await used(10);
    expect(cost?.topRequests).toEqual({
      'frontend/RecordActivityTaskHeartbeat': 2,
      'history/RecordActivityTaskHeartbeat': 2,
    });
    expect(scrapes).toBe(5); // 10, 27, 27
  } finally {
    server.close();
  }
}, 15_000);

test('without an endpoint nothing is counted', async () => {
  await expect((await serverMeter(undefined))(10)).resolves.toBeUndefined();
});
