// Removes the uploads of closed onboardings: for each folder of the upload area, asks Temporal how the
// onboarding is (`describe()`), and deletes the folder once its run closed (completed, failed,
// cancelled, terminated, timed out) more than `graceMs` ago, or when Temporal no longer knows it and the
// folder is that old. A running onboarding's folder, and any folder while Temporal cannot answer, stay.
// Staged files older than the grace period (a crash mid-upload) go too. Safe to run from several
// instances at once: deleting what is gone already changes nothing.
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { INCOMING_FOLDER, onboardingIdOfFolder, UPLOADS_FOLDER } from '../documents/uploads';

export const DEFAULT_UPLOAD_SWEEP_INTERVAL_MS = 10 * 60 * 1000;
export const DEFAULT_UPLOAD_GRACE_MS = 60 * 60 * 1000;

export interface SweepOptions {
  dir: string;
  client: Client;
  graceMs: number;
  /** Bounds each describe() (default 10 s). */
  temporalTimeoutMs?: number;
  now?: () => number;
}

export interface SweepResult {
  /** Onboarding ids whose folders were removed. */
  removed: string[];
  /** Folders left because Temporal could not say (retried at the next sweep). */
  unknown: string[];
}

export async function sweepUploads(options: SweepOptions): Promise<SweepResult> {
  const now = options.now?.() ?? Date.now();
  const area = join(options.dir, UPLOADS_FOLDER);
  const result: SweepResult = { removed: [], unknown: [] };
  const names = await readdir(area).catch(() => [] as string[]);
  for (const name of names) {
    const path = join(area, name);
    if (name === INCOMING_FOLDER) {
      await removeStale(path, now - options.graceMs);
      continue;
    }
    const id = onboardingIdOfFolder(name);
    if (id === undefined) continue; // not a folder the service writes: left alone
    const closedAt = await closeTimeOf(options, id).catch(() => 'unknown' as const);
    if (closedAt === 'unknown') {
      result.unknown.push(id);
      continue;
    }
    if (closedAt === 'running') continue;
    const since = closedAt === 'gone' ? (await stat(path)).mtimeMs : closedAt;
    if (since <= now - options.graceMs) {
      await rm(path, { recursive: true, force: true });
      result.removed.push(id);
    }
  }
  return result;
}

/** When the onboarding's latest run closed (ms), `running`, or `gone` (Temporal does not know it). */
async function closeTimeOf(options: SweepOptions, id: string): Promise<number | 'running' | 'gone'> {
  const deadline = Date.now() + (options.temporalTimeoutMs ?? 10_000);
  try {
    const d = await options.client.withDeadline(deadline, () =>
      options.client.workflow.getHandle(id).describe(),
    );
    if (d.status.name === 'RUNNING' || !d.closeTime) return 'running';
    return d.closeTime.getTime();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 'gone';
    throw err;
  }
}

async function removeStale(incoming: string, before: number): Promise<void> {
  for (const name of await readdir(incoming).catch(() => [] as string[])) {
    const info = await stat(join(incoming, name)).catch(() => undefined);
    if (info && info.mtimeMs <= before) await rm(join(incoming, name), { force: true });
  }
}

/** Runs `sweepUploads` every `intervalMs` until stopped; a failed sweep is logged and retried next time. */
export function startUploadSweeper(
  options: SweepOptions & { intervalMs: number; log?: (err: unknown) => void },
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweepUploads(options)
      .catch((err: unknown) => options.log?.(err))
      .finally(() => (running = false));
  }, options.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
