// The upload area belongs to onboardings: one folder each, and a source into another's folder is
// refused by the worker's document activities for any other workflow.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createDocumentActivities, type Inspection } from '../../src/activities/document';
import type { CircleClient } from '../../src/circle/client';
import { createDocumentStore } from '../../src/documents/store';
import { onboardingIdOfFolder, uploadFolderOf, uploadOwnershipProblem } from '../../src/documents/uploads';

test('an onboarding id gives one folder name, never a dot or a slash, and back', () => {
  expect(uploadFolderOf('onboarding-US-0123abcd')).toBe('onboarding-US-0123abcd');
  for (const id of ['..', '.', 'a/b', 'a/../b', '%41', 'x y', 'onboarding.US~1']) {
    const folder = uploadFolderOf(id)!;
    expect(folder).toMatch(/^[A-Za-z0-9_%-]+$/);
    expect(onboardingIdOfFolder(folder)).toBe(id);
  }
  expect(uploadFolderOf('.'.repeat(100))).toBeUndefined(); // 300 characters
  expect(onboardingIdOfFolder('.incoming')).toBeUndefined();
  expect(onboardingIdOfFolder('%2e')).toBeUndefined(); // not as uploadFolderOf writes it
});

test('a path into another onboarding’s uploads is refused, however it is written', () => {
  const mine = 'onboarding-US-aaaa';
  for (const ok of [
    'uploads/onboarding-US-aaaa/0f-a.pdf',
    './uploads/onboarding-US-aaaa/0f-a.pdf',
    'acme/uploads/onboarding-US-bbbb/a.pdf',
    'https://files.example.com/uploads/onboarding-US-bbbb/a.pdf',
  ]) {
    expect(uploadOwnershipProblem(ok, mine)).toBeUndefined();
  }
  for (const bad of [
    'uploads/onboarding-US-bbbb/0f-a.pdf',
    'Uploads/onboarding-US-bbbb/0f-a.pdf',
    'uploads//onboarding-US-bbbb/0f-a.pdf',
    'uploads/onboarding-US-aaaa/../onboarding-US-bbbb/0f-a.pdf',
    'x/../uploads/onboarding-US-bbbb/0f-a.pdf',
    'uploads/.incoming/123',
    'uploads/onboarding-US-aaaa',
  ]) {
    expect(uploadOwnershipProblem(bad, mine)).toMatch(/another onboarding's uploads/);
  }
});

describe('the worker’s document activities', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'uploads-'));
    for (const id of ['onboarding-US-aaaa', 'onboarding-US-bbbb']) {
      mkdirSync(join(dir, 'uploads', id), { recursive: true });
      writeFileSync(join(dir, 'uploads', id, 'f-a.pdf'), '%PDF-1.4\n%%EOF\n');
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('read the workflow’s own uploads and refuse another onboarding’s', async () => {
    const store = createDocumentStore({ dir, urls: { enabled: false } });
    const activities = createDocumentActivities({} as CircleClient, store);
    const env = new MockActivityEnvironment({
      workflowExecution: { workflowId: 'onboarding-US-aaaa', runId: 'r' },
    } as never);
    const [own, other] = (await env.run(activities.inspectDocuments, [
      'uploads/onboarding-US-aaaa/f-a.pdf',
      'uploads/onboarding-US-bbbb/f-a.pdf',
    ])) as Inspection[];
    expect(own).toMatchObject({ size: 15 });
    expect(other).toMatchObject({
      problem: 'outside_store',
      message: expect.stringMatching(/another onboarding/),
    });
  });
});
