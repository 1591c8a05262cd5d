/** Charset label from a Content-Type header, mapped to a WHATWG encoding name. */
export function charsetOf(contentType: string | null): string | undefined {
  const m = /charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '');
  if (!m) return undefined;
  const label = m[1]!.toLowerCase();
  if (['cp1252', 'windows-1252', 'iso-8859-1', 'latin1', 'iso8859_1'].includes(label)) return 'windows-1252';
  if (['shift_jis', 'sjis', 'shift-jis', 'windows-31j', 'ms932', 'cp932'].includes(label)) return 'shift_jis';
  if (['utf-8', 'utf8'].includes(label)) return 'utf-8';
  return label;
}

/**
 * Report document bytes, decompressed when they start with gzip's magic bytes: Amazon may mark a
 * document GZIP that is not compressed, and fetch may already have decoded a Content-Encoding.
 */
export async function decompressIfGzip(
  body: ReadableStream<Uint8Array>,
): Promise<ReadableStream<Uint8Array>> {
  const reader = body.getReader();
  const pending: Uint8Array[] = [];
  let size = 0;
  let ended = false;
  while (size < 2) {
    const { done, value } = await reader.read();
    if (done) {
      ended = true;
      break;
    }
    pending.push(value);
    size += value.length;
  }
  const head =
    pending.length === 1 ? pending[0]! : Uint8Array.from(pending.flatMap((c) => [...c.subarray(0, 2)]));
  const gz = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  const replay = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = pending.shift();
      if (next) return controller.enqueue(next);
      if (ended) return controller.close();
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return gz
    ? replay.pipeThrough(
        // The Workers types declare DecompressionStream's writable side as BufferSource, not Uint8Array.
        new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>,
      )
    : replay;
}

const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d,
  0x017d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0x9d, 0x017e, 0x0178,
];

function decodeCp1252(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += String.fromCharCode(b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : b);
  return out;
}

/** A line decoder: the declared charset, else UTF-8 until a line proves otherwise, then Cp1252. */
export function lineDecoder(declared: string | undefined): (bytes: Uint8Array) => string {
  let fallback = declared && declared !== 'utf-8' ? declared : undefined;
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let native: TextDecoder | undefined;
  const decodeOther = (bytes: Uint8Array, label: string) => {
    if (label === 'windows-1252') return decodeCp1252(bytes);
    native ??= new TextDecoder(label);
    return native.decode(bytes);
  };
  return (bytes) => {
    if (fallback) return decodeOther(bytes, fallback);
    try {
      return utf8.decode(bytes);
    } catch {
      // Flat files without a declared charset are Cp1252 in Western marketplaces.
      fallback = 'windows-1252';
      return decodeOther(bytes, fallback);
    }
  };
}

/**
 * Splits a byte stream into decoded lines without holding the document in memory. Splitting on
 * the 0x0A byte is safe for UTF-8, Cp1252 and Shift_JIS (0x0A is never part of a multi-byte char).
 */
export async function* streamLines(
  body: ReadableStream<Uint8Array>,
  decode: (bytes: Uint8Array) => string,
): AsyncGenerator<string> {
  const reader = body.getReader();
  let carry = new Uint8Array(0);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    let chunk = value;
    if (carry.length > 0) {
      chunk = new Uint8Array(carry.length + value.length);
      chunk.set(carry);
      chunk.set(value, carry.length);
    }
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      if (chunk[i] !== 0x0a) continue;
      const end = i > start && chunk[i - 1] === 0x0d ? i - 1 : i;
      yield decode(chunk.subarray(start, end));
      start = i + 1;
    }
    carry = chunk.slice(start);
  }
  if (carry.length > 0) yield decode(carry[carry.length - 1] === 0x0d ? carry.subarray(0, -1) : carry);
}

/** The document's first line is not the header the caller expects: it is a message, not the report. */
export class UnexpectedHeaderError extends Error {
  constructor(
    readonly firstLine: string | undefined,
    readonly missing: readonly string[],
  ) {
    super(
      firstLine === undefined
        ? 'the document is empty'
        : `its first line lacks ${missing.join(', ')}: "${firstLine.slice(0, 200)}"`,
    );
    this.name = 'UnexpectedHeaderError';
  }
}

/**
 * Tab-separated rows keyed by the header. Quoting is off: a `"` is data, as in Amazon's flat
 * files (a title like `12" ruler` must not swallow the following columns). With `required`
 * columns, a first line that does not name them all (Amazon's one-line "Date range exceeded"
 * answer, an empty document) throws UnexpectedHeaderError instead of reading as zero rows.
 */
export async function* parseTsv(
  lines: AsyncIterable<string>,
  required: readonly string[] = [],
): AsyncGenerator<Record<string, string>> {
  let header: string[] | undefined;
  for await (const line of lines) {
    if (!header) {
      const columns = line
        .replace(/^\uFEFF/, '')
        .split('\t')
        .map((h) => h.trim());
      header = columns;
      const missing = required.filter((c) => !columns.includes(c));
      if (missing.length > 0) throw new UnexpectedHeaderError(line, missing);
      continue;
    }
    if (line.length === 0) continue;
    const cells = line.split('\t');
    const row: Record<string, string> = {};
    for (let i = 0; i < header.length; i++) row[header[i]!] = cells[i] ?? '';
    yield row;
  }
  if (!header && required.length > 0) throw new UnexpectedHeaderError(undefined, required);
}
