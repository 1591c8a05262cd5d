import { describe, expect, it } from 'vitest';
import {
  charsetOf,
  decompressIfGzip,
  lineDecoder,
  parseTsv,
  streamLines,
  UnexpectedHeaderError,
} from '../../src/amazon/documents';
import { buildUrl } from '../../src/amazon/http';

const streamOf = (...chunks: Uint8Array[]) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (const ch of chunks) c.enqueue(ch);
      c.close();
    },
  });

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(
    await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer(),
  );
}

async function rows(
  body: ReadableStream<Uint8Array>,
  contentType: string | null = null,
  required: readonly string[] = [],
) {
  const out: Record<string, string>[] = [];
  for await (const r of parseTsv(
    streamLines(await decompressIfGzip(body), lineDecoder(charsetOf(contentType))),
    required,
  ))
    out.push(r);
  return out;
}

const TSV = 'amazon-order-id\tproduct-name\tquantity\n111-1\t12" ruler "metal\t2\n111-2\tCafé crème\t1\n';

describe('report documents', () => {
  it('gunzips by magic bytes, in chunks split anywhere', async () => {
    const gz = await gzip(new TextEncoder().encode(TSV));
    const parts = [gz.subarray(0, 1), gz.subarray(1, 7), gz.subarray(7)];
    expect(await rows(streamOf(...parts))).toEqual([
      { 'amazon-order-id': '111-1', 'product-name': '12" ruler "metal', quantity: '2' },
      { 'amazon-order-id': '111-2', 'product-name': 'Café crème', quantity: '1' },
    ]);
  });

  it('reads an uncompressed document marked GZIP (or already decoded by fetch)', async () => {
    expect(await rows(streamOf(new TextEncoder().encode(TSV)))).toHaveLength(2);
  });

  it('fails on a truncated gzip stream', async () => {
    const gz = await gzip(new TextEncoder().encode(TSV.repeat(200)));
    await expect(rows(streamOf(gz.subarray(0, gz.length - 30)))).rejects.toThrow();
  });

  it('decodes Cp1252 when declared and when UTF-8 fails', async () => {
    const cp = Uint8Array.from(
      [...'n\tname\n1\tCaf'].map((c) => c.charCodeAt(0)).concat([0xe9, 0x20, 0x80, 0x0a]),
    );
    expect((await rows(streamOf(cp), 'text/plain;charset=Cp1252'))[0]!.name).toBe('Café €');
    expect((await rows(streamOf(cp)))[0]!.name).toBe('Café €');
  });

  it('decodes Shift_JIS when declared', async () => {
    // "n\tname\n1\t" + 日本 in Shift_JIS (93 FA 96 7B)
    const sj = Uint8Array.from(
      [...'n\tname\n1\t'].map((c) => c.charCodeAt(0)).concat([0x93, 0xfa, 0x96, 0x7b, 0x0a]),
    );
    expect((await rows(streamOf(sj), 'text/tab-separated-values;charset=Shift_JIS'))[0]!.name).toBe('日本');
  });

  it('keeps UTF-8 multi-byte characters split across chunks', async () => {
    const bytes = new TextEncoder().encode('a\tb\nx\tß日本\r\n');
    const out = await rows(streamOf(bytes.subarray(0, 9), bytes.subarray(9, 11), bytes.subarray(11)));
    expect(out).toEqual([{ a: 'x', b: 'ß日本' }]);
  });
});

describe('report header check', () => {
  const required = ['amazon-order-id', 'quantity'];
  const utf8 = (text: string) => streamOf(new TextEncoder().encode(text));

  it('reads the rows when the first line names the required columns', async () => {
    expect(await rows(utf8(TSV), null, required)).toHaveLength(2);
  });

  it('refuses Amazon\'s one-line "Date range exceeded" document instead of reading it as no rows', async () => {
    const line = 'Date range exceeded. Report can be requested only upto 30 days';
    const read = rows(utf8(line), null, required);
    await expect(read).rejects.toThrow(UnexpectedHeaderError);
    await expect(rows(utf8(line), null, required)).rejects.toThrow(
      `its first line lacks amazon-order-id, quantity: "${line}"`,
    );
  });

  it('refuses an empty document and a header missing one column', async () => {
    await expect(rows(utf8(''), null, required)).rejects.toThrow('the document is empty');
    await expect(rows(utf8('amazon-order-id\tsku\n111-1\tA\n'), null, required)).rejects.toThrow(
      /lacks quantity/,
    );
  });
});

describe('NextToken', () => {
  it('is URL-encoded and sent alone', () => {
    const url = new URL(
      buildUrl('https://sp.example', '/finances/v0/financialEvents', { NextToken: 'ab+c/d==&x=1' }),
    );
    expect(url.search).toBe('?NextToken=ab%2Bc%2Fd%3D%3D%26x%3D1');
    expect([...url.searchParams.keys()]).toEqual(['NextToken']);
    expect(url.searchParams.get('NextToken')).toBe('ab+c/d==&x=1');
  });

  it('joins list parameters with commas', () => {
    const url = new URL(
      buildUrl('https://sp.example', '/x', { marketplaceIds: ['A', 'B'], skip: undefined }),
    );
    expect(url.searchParams.get('marketplaceIds')).toBe('A,B');
    expect(url.searchParams.has('skip')).toBe(false);
  });
});
