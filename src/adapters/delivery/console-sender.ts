import type { AlertSender, SendResult } from '../../app/ports.js';
import { formatAlertText } from '../../core/alert-format.js';

/** Prints alerts as readable blocks: the destination when no Discord is configured. */
export function createConsoleSender(write: (text: string) => void): AlertSender {
  return {
    kind: 'console',
    async send(_destination, row): Promise<SendResult> {
      write(formatAlertText(row.alert) + '\n');
      return { ok: true, remoteId: null };
    },
  };
}
