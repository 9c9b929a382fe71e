// The I/O-free half of the store: which source strings are acceptable, and the host allow list.
import { hostAllowed, normalizeHostPattern } from '../../src/documents/allowed-hosts';
import {
  describeRawSource,
  MAX_SOURCE_LENGTH,
  parseSource,
  sourceShapeProblem,
} from '../../src/documents/source';

test('relative paths and https URLs pass the shape check', () => {
  for (const source of [
    'a.pdf',
    'client 1/ids/passport (1).png',
    './a.pdf',
    'x/../a.pdf',
    'https://docs.example.com/a.pdf?X-Amz-Signature=abc',
  ]) {
    expect({ source, problem: sourceShapeProblem(source) }).toEqual({ source, problem: undefined });
  }
});

test('paths are normalised; https URLs are parsed', () => {
  expect(parseSource('./x//y/../a.pdf')).toEqual({ kind: 'path', path: 'x/a.pdf' });
  const parsed = parseSource('HTTPS://Docs.Example.com/a.pdf');
  expect(parsed).toMatchObject({ kind: 'https' });
  expect('url' in parsed && parsed.url.hostname).toBe('docs.example.com');
});

test.each([
  ['', 'invalid_source', /must not be empty/],
  ['a\0b.pdf', 'invalid_source', /control characters/],
  ['a.pdf\r\n', 'invalid_source', /control characters/],
  ['x'.repeat(MAX_SOURCE_LENGTH + 1), 'invalid_source', /at most 4096/],
  ['/etc/passwd', 'invalid_source', /absolute path/],
  ['C:\\docs\\a.pdf', 'invalid_source', /absolute path/],
  ['docs\\a.pdf', 'invalid_source', /use \//],
  ['docs/', 'invalid_source', /not a folder/],
  ['.', 'invalid_source', /directory itself/],
  ['..', 'outside_store', /inside the document directory/],
  ['a/../../b.pdf', 'outside_store', /inside the document directory/],
  ['http://example.com/a.pdf', 'invalid_source', /not a http: URL/],
  ['data:application/pdf;base64,JVBERi0=', 'invalid_source', /not a data: URL/],
  ['s3://bucket/key.pdf', 'invalid_source', /not a s3: URL/],
  ['https:example.com/a.pdf', 'invalid_source', /valid https:\/\/ URL/],
  ['https://', 'invalid_source', /valid https:\/\/ URL/],
  ['https://user:pw@example.com/a.pdf', 'invalid_source', /user name or password/],
])('%j is refused: %s', (source, problem, message) => {
  expect(parseSource(source)).toEqual({ problem, message: expect.stringMatching(message) });
  expect(sourceShapeProblem(source)).toMatch(message);
});

test('a raw source in a message loses its query and fragment and is escaped', () => {
  expect(describeRawSource('http://h/x.pdf?sig=secret#f')).toBe('"http://h/x.pdf"');
  expect(describeRawSource('a?b\0.pdf')).toBe('"a?b\\u0000.pdf"'); // a path keeps its ? (a file-name character)
});

test('host patterns: bare hosts, normalised; *. for subdomains only', () => {
  expect(normalizeHostPattern(' Docs.Example.COM. ')).toBe('docs.example.com');
  expect(normalizeHostPattern('*.S3.amazonaws.com')).toBe('*.s3.amazonaws.com');
  expect(normalizeHostPattern('bücher.de')).toBe('xn--bcher-kva.de');
  expect(normalizeHostPattern('[::1]')).toBe('[::1]');
  for (const bad of ['', '*.', 'https://x.com', 'x.com:8443', 'x.com/a', 'a b', 'u@x.com']) {
    expect({ bad, pattern: normalizeHostPattern(bad) }).toEqual({ bad, pattern: undefined });
  }
  const patterns = ['docs.example.com', '*.s3.amazonaws.com'];
  expect(hostAllowed(patterns, 'docs.example.com')).toBe(true);
  expect(hostAllowed(patterns, 'bucket.s3.amazonaws.com')).toBe(true);
  expect(hostAllowed(patterns, 's3.amazonaws.com')).toBe(false);
  expect(hostAllowed(patterns, 'evils3.amazonaws.com')).toBe(false);
  expect(hostAllowed(patterns, 'docs.example.com.evil.net')).toBe(false);
});
