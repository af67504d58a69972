import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { constants, createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';

/** The body (after decompression) grew past the limit. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  readonly code = 'too-large';
}

/** The server used a Content-Encoding we did not ask for. */
export class UnsupportedEncodingError extends Error {
  override readonly name = 'UnsupportedEncodingError';
  readonly code = 'unsupported-encoding';
}

// Truncated compressed streams still yield what they hold; a feed cut short is then caught by the parser.
const ZLIB_OPTIONS = { finishFlush: constants.Z_SYNC_FLUSH };

/**
 * "deflate" is meant to be zlib-wrapped (RFC 9110) but some servers send raw deflate; sniff the first byte of the
 * zlib header (CM = 8) to pick the right decoder.
 */
function createDeflateDecoder(): Transform {
  let decoder: Transform | null = null;
  const sniffer: Transform = new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (!decoder) {
        decoder = (chunk[0] ?? 0) % 16 === 8 ? createInflate(ZLIB_OPTIONS) : createInflateRaw(ZLIB_OPTIONS);
        decoder.on('data', (out: Buffer) => sniffer.push(out));
        decoder.on('error', (err) => sniffer.destroy(err));
      }
      if (decoder.write(chunk)) done();
      else decoder.once('drain', () => done());
    },
    flush(done) {
      if (!decoder) return done();
      decoder.once('end', () => done());
      decoder.end();
    },
  });
  return sniffer;
}

function decoderFor(coding: string): Transform | null {
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip(ZLIB_OPTIONS);
    case 'deflate':
      return createDeflateDecoder();
    case 'br':
      return createBrotliDecompress();
    case 'identity':
    case '':
      return null;
    default:
      throw new UnsupportedEncodingError(`unsupported Content-Encoding "${coding}"`);
  }
}

/**
 * Reads a response body, undoing its Content-Encoding(s), and stops as soon as the decoded size passes
 * `maxBytes`: the limit applies to what we would have to hold in memory, so a compression bomb is cut off early.
 */
export async function readLimitedBody(
  body: Readable,
  contentEncoding: string | null,
  maxBytes: number,
): Promise<Buffer> {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .reverse();
  const decoders = codings.map(decoderFor).filter((d): d is Transform => d !== null);
  const chunks: Buffer[] = [];
  let total = 0;
  const collect = async (source: AsyncIterable<Buffer>): Promise<void> => {
    for await (const chunk of source) {
      total += chunk.length;
      if (total > maxBytes) throw new BodyTooLargeError(`body is larger than ${maxBytes} bytes`);
      chunks.push(chunk);
    }
  };
  const decoded = decoders.reduce<Readable>((src, decoder) => src.pipe(decoder), body);
  // pipe() does not forward errors: tie every stage's failure to the consumer.
  for (const stage of [body, ...decoders]) stage.once('error', (err) => decoded.destroy(err));
  try {
    await collect(decoded);
  } finally {
    for (const stage of [body, ...decoders]) {
      // A stream destroyed before its end reports an abort; nobody is listening any more.
      stage.on('error', () => {});
      stage.destroy();
    }
  }
  return Buffer.concat(chunks, total);
}
