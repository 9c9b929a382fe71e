// docs/simulator.md quotes facts of the simulator; these checks keep the two from drifting apart.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLIVE_IN_PROGRESS_CODE, IN_PROGRESS_MESSAGE } from '../http';
import {
  AUTOMATIC_RFI,
  CRYPTO_NATURES,
  DEFAULT_IDEMPOTENCY_MODES,
  SECTION_NAMES,
  exampleApplicationData,
} from '../index';
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

test('the docs give the default idempotency modes and the in-progress answers', () => {
  const section = doc.slice(doc.indexOf('### Idempotency modes'));
  const block = /```json\n([\s\S]*?)```/.exec(section)![1]!;
  expect(JSON.parse(block)).toEqual({ ...DEFAULT_IDEMPOTENCY_MODES, keys: 0 });
  for (const mode of Object.keys(DEFAULT_IDEMPOTENCY_MODES)) expect(section).toContain(`| \`${mode}\``);
  expect(section).toContain(`{"code":409,"message":"${IN_PROGRESS_MESSAGE}"}`);
  expect(section).toContain(`"code":"${CLIVE_IN_PROGRESS_CODE}"`);
});
