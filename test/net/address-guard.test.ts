// The address guard: which addresses are public, and vetHost's one resolution, one check, pinned answer.
// No real DNS: names are resolved by a table.
import { isIP } from 'node:net';
import { AddressNotAllowed, isPublicAddress, vetHost, type HostResolver } from '../../src/net/address-guard';

test.each([
  '127.0.0.1',
  '127.255.0.9',
  '10.0.0.1',
  '172.16.5.4',
  '172.31.255.255',
  '192.168.0.1',
  '169.254.169.254',
  '100.64.0.1',
  '100.127.255.254',
  '0.0.0.0',
  '0.1.2.3',
  '224.0.0.251',
  '239.255.255.250',
  '255.255.255.255',
  '240.0.0.1',
  '192.0.0.8',
  '192.0.2.1',
  '198.18.0.1',
  '198.51.100.7',
  '203.0.113.9',
  '::',
  '::1',
  '::ffff:127.0.0.1',
  '::ffff:7f00:1',
  '::ffff:a9fe:a9fe',
  '::ffff:10.0.0.1',
  '::7f00:1', // IPv4-compatible (deprecated)
  '::127.0.0.1',
  '64:ff9b::7f00:1', // NAT64 of 127.0.0.1
  '64:ff9b::a9fe:a9fe', // NAT64 of 169.254.169.254
  '64:ff9b:1::1', // local-use NAT64
  '2002:7f00:1::1', // 6to4 of 127.0.0.1
  '2002:c0a8:101::1', // 6to4 of 192.168.1.1
  'fc00::1',
  'fd12:3456::1',
  'fe80::1',
  'fec0::1',
  'ff02::1',
  '2001:db8::1',
  '2001::1', // Teredo
  '3fff::1',
  '100::1',
  'localhost',
  '',
])('%s is not public', (address) => {
  expect(isPublicAddress(address)).toBe(false);
});

test.each([
  '8.8.8.8',
  '1.1.1.1',
  '93.184.215.14',
  '100.128.0.1',
  '172.32.0.1',
  '2606:4700::1111',
  '2a00:1450::1',
  '::ffff:8.8.8.8',
  '64:ff9b::808:808',
  '2002:808:808::1',
])('%s is public', (address) => {
  expect(isPublicAddress(address)).toBe(true);
});

const table =
  (answers: Record<string, string[]>, calls: string[] = []): HostResolver =>
  async (host) => {
    calls.push(host);
    const answer = answers[host];
    if (!answer) throw new Error(`ENOTFOUND ${host}`);
    return answer.map((address) => ({ address, family: isIP(address) }));
  };

describe('vetHost', () => {
  test('refuses a name when any of its addresses is not public, or when it does not resolve', async () => {
    const resolve = table({ evil: ['127.0.0.1'], mixed: ['8.8.8.8', '10.0.0.1'], none: [] });
    for (const host of ['evil', 'mixed', 'none', 'unknown']) {
      await expect(vetHost(host, { resolve })).rejects.toBeInstanceOf(AddressNotAllowed);
    }
  });

  test('IP literals (brackets included) are checked without asking the resolver', async () => {
    const calls: string[] = [];
    const resolve = table({}, calls);
    for (const host of ['127.0.0.1', '[::1]', '[::ffff:7f00:1]', '169.254.169.254']) {
      await expect(vetHost(host, { resolve })).rejects.toBeInstanceOf(AddressNotAllowed);
    }
    await expect(vetHost('[2606:4700::1111]', { resolve })).resolves.toMatchObject({
      addresses: [{ address: '2606:4700::1111', family: 6 }],
    });
    expect(calls).toEqual([]);
  });

  test('loopback only when allowed; other private addresses never', async () => {
    const resolve = table({ local: ['127.0.0.1', '::1'], lan: ['192.168.1.1'] });
    await expect(vetHost('local', { resolve, allowLoopback: true })).resolves.toBeDefined();
    await expect(vetHost('[::ffff:127.0.0.1]', { allowLoopback: true })).resolves.toBeDefined();
    await expect(vetHost('lan', { resolve, allowLoopback: true })).rejects.toBeInstanceOf(AddressNotAllowed);
    await expect(vetHost('0.0.0.0', { allowLoopback: true })).rejects.toBeInstanceOf(AddressNotAllowed);
  });

  test('its lookup answers with the vetted addresses, without resolving again, and only for that host', async () => {
    const calls: string[] = [];
    const vetted = await vetHost('docs.example', {
      resolve: table({ 'docs.example': ['8.8.8.8', '2606:4700::1111'] }, calls),
    });
    const ask = (host: string, all: boolean) =>
      new Promise((resolve, reject) =>
        vetted.lookup(host, { all }, (err: Error | null, address: unknown, family?: number) =>
          err ? reject(err) : resolve(all ? address : [address, family]),
        ),
      );
    await expect(ask('docs.example', true)).resolves.toEqual([
      { address: '8.8.8.8', family: 4 },
      { address: '2606:4700::1111', family: 6 },
    ]);
    await expect(ask('docs.example', false)).resolves.toEqual(['8.8.8.8', 4]);
    await expect(ask('other.example', true)).rejects.toBeInstanceOf(AddressNotAllowed);
    expect(calls).toEqual(['docs.example']);
  });
});
