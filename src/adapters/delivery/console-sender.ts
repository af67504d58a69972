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
    // A console cannot edit what it printed: a later outlet of the story is one line under the alert's title.
    async sendUpdate(_destination, row, update): Promise<SendResult> {
      const r = update.report;
      const what = update.kind === 'follow-up' ? 'update' : 'also reported by';
      const source = [r.feedTitle, r.wire ? `(${r.wire})` : ''].filter(Boolean).join(' ');
      write(`   ↳ ${what} ${source}: ${r.title}${r.link ? ` — ${r.link}` : ''}  [re: ${row.alert.title}]\n`);
      return { ok: true, remoteId: null };
    },
  };
}
