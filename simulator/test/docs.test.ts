// docs/simulator.md quotes facts of the simulator; these checks keep the two from drifting apart.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUTOMATIC_RFI, CRYPTO_NATURES, SECTION_NAMES, exampleApplicationData } from '../index';
import { PAYMENTS } from './support';

const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'simulator.md'), 'utf8');

test('the example payload in the docs is exampleApplicationData for paymentProcessorPlatform / privateCo', () => {
  const section = doc.slice(doc.indexOf('### Valid example payloads'));
  const block = /```json\n([\s\S]*?)```/.exec(section)![1]!;
  expect(JSON.parse(block)).toEqual(exampleApplicationData(PAYMENTS));
  const crypto = exampleApplicationData({ natureOfBusiness: 'cryptoExchange', institutionType: 'privateCo' });
  const licence = (crypto.complianceProfile as { cryptoLicenseNumber: string }).cryptoLicenseNumber;
  expect(section).toContain(`"cryptoLicenseNumber": "${licence}"`);
});

test('the docs name every section, every crypto nature and the automatic RFI', () => {
  for (const name of SECTION_NAMES) expect(doc).toContain(`\`${name}\``);
  for (const nature of CRYPTO_NATURES) expect(doc).toContain(`\`${nature}\``);
  expect(doc).toContain(`\`${AUTOMATIC_RFI.type}\` on \`${AUTOMATIC_RFI.section}.${AUTOMATIC_RFI.field}\``);
  expect(doc).toContain(AUTOMATIC_RFI.comment);
});
