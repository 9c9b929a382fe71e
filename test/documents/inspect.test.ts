// inspectBytes: what a workflow keeps instead of a document's bytes.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { inspectBytes } from '../../src/documents/inspect';

const example = (name: string) => readFileSync(path.join(__dirname, '../../examples/documents', name));

test('size and SHA-256 (hex) match the known test vectors', () => {
  expect(inspectBytes(Buffer.from('abc'))).toEqual({
    size: 3,
    sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  });
  expect(inspectBytes(new Uint8Array(0))).toEqual({
    size: 0,
    sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  });
});

test('the kind of the example documents comes from their bytes', () => {
  for (const [name, kind] of [
    ['certificate-of-incorporation.pdf', 'pdf'],
    ['proof-of-address.pdf', 'pdf'],
    ['representative-id.png', 'png'],
    ['owner-id.jpg', 'jpeg'],
  ] as const) {
    const bytes = example(name);
    const inspected = inspectBytes(bytes);
    expect({ name, kind: inspected.kind, size: inspected.size }).toEqual({ name, kind, size: bytes.length });
    expect(inspected.sha256).toMatch(/^[0-9a-f]{64}$/);
  }
});

test('text has no kind (the key is left out), and a view into a larger buffer counts only its bytes', () => {
  const text = inspectBytes(Buffer.from('%PDF is how a PDF starts, but this is text'));
  expect(text.kind).toBeUndefined();
  expect('kind' in text).toBe(false);
  const whole = Buffer.from('xxabcxx');
  expect(inspectBytes(whole.subarray(2, 5))).toEqual(inspectBytes(Buffer.from('abc')));
});
