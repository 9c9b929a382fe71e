// What callers are shown of a document source: never a signed URL's secret.
import { shownSource } from '../../src/contract';

test('a URL is shown without its credentials, query string or fragment; a path as it is', () => {
  expect(shownSource('https://files.example.com/a/deed.pdf?X-Amz-Signature=abc&X-Amz-Expires=600')).toBe(
    'https://files.example.com/a/deed.pdf',
  );
  expect(shownSource('https://user:secret@files.example.com/deed.pdf#page=2')).toBe(
    'https://files.example.com/deed.pdf',
  );
  expect(shownSource('https://files.example.com')).toBe('https://files.example.com');
  expect(shownSource('acme/owner-id.jpg')).toBe('acme/owner-id.jpg');
  expect(shownSource('uploads/x?y.pdf')).toBe('uploads/x?y.pdf'); // a path's "?" is part of its name
});
