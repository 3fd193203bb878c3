import { randomUUID } from 'node:crypto';
import { access, appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DigestSender, OutgoingDigest } from '../../use-cases/alert-digest';
import type { NotificationSender, OutgoingAlert, OutgoingSms } from '../../use-cases/notify';

/** One line of the local outbox: what SNS would have sent. */
export type LocalNotification =
  | ({ readonly kind: 'SMS'; readonly messageId: string; readonly sentAt: string } & OutgoingSms)
  | ({ readonly kind: 'ALERT'; readonly messageId: string; readonly sentAt: string } & OutgoingAlert)
  /** The officers' digest of alerts (the notifier's alerts wait for it). */
  | ({ readonly kind: 'DIGEST'; readonly messageId: string; readonly sentAt: string } & OutgoingDigest);

export interface LocalOutboxOptions {
  /** Also print a one-line summary of each message (`npm start`). */
  readonly echo?: boolean;
  /**
   * While this file exists, every send fails as SNS fails in an outage (an InternalErrorException,
   * nothing written): local mode's way to rehearse an outage (`touch .local/sns-outage`), and the tests'.
   */
  readonly outageFile?: string;
}

/** What the local outbox throws during a simulated outage: SNS's own error, a server fault. */
export class LocalOutageError extends Error {
  readonly $fault = 'server';
  constructor() {
    super('SNS is unavailable (local outage: the outage file exists)');
    this.name = 'InternalErrorException';
  }
}

/**
 * Local mode's stand-in for SNS, which has no local server: each SMS or alert is appended as one
 * JSON line to `file` (`.local/notifications.jsonl` under `npm start`), where the developer and
 * the tests read it (see {@link readNotificationOutbox}).
 */
export function localNotificationOutbox(file: string, options: LocalOutboxOptions = {}): NotificationSender & DigestSender {
  let folder: Promise<unknown> | undefined;
  const append = async (notification: LocalNotification, summary: string): Promise<{ messageId: string }> => {
    if (options.outageFile !== undefined && (await exists(options.outageFile))) throw new LocalOutageError();
    await (folder ??= mkdir(dirname(file), { recursive: true }));
    // One write of one short line in append mode: concurrent appends do not interleave.
    await appendFile(file, `${JSON.stringify(notification)}\n`, 'utf8');
    if (options.echo) process.stdout.write(`${summary}\n`);
    return { messageId: notification.messageId };
  };
  return {
    sendSms: (sms) => append({ kind: 'SMS', messageId: randomUUID(), sentAt: new Date().toISOString(), ...sms }, `SMS   → ${sms.phone}: ${sms.text}`),
    sendAlert: (alert) => append({ kind: 'ALERT', messageId: randomUUID(), sentAt: new Date().toISOString(), ...alert }, `ALERT → officers: ${alert.subject}`),
    sendDigest: (digest) => append({ kind: 'DIGEST', messageId: randomUUID(), sentAt: new Date().toISOString(), ...digest }, `DIGEST → officers: ${digest.subject}`),
  };
}

/** Every message of a local outbox file, oldest first; none when the file does not exist yet. */
export async function readNotificationOutbox(file: string): Promise<LocalNotification[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return [];
    throw error;
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LocalNotification);
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
