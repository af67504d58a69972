/**
 * Worker thread entry of the parse pool (parse-worker-pool.ts): parses the documents it is sent with the same
 * code the main thread uses, so results do not depend on where a document was parsed.
 */
import { parentPort } from 'node:worker_threads';
import { parseFeedDocument } from './feed-document.js';
import type { ParseJob, ParseReply } from './parse-worker-pool.js';

const port = parentPort;
if (port) {
  port.on('message', (job: ParseJob) => {
    parseFeedDocument(job.text, job.feedUrl).then(
      (result) => port.postMessage({ id: job.id, result } satisfies ParseReply),
      (err: unknown) =>
        port.postMessage({
          id: job.id,
          error: err instanceof Error ? err.message : String(err),
        } satisfies ParseReply),
    );
  });
}
