// Relative links of the repository's Markdown pages lead somewhere: the file exists and, for a
// `#fragment` into a Markdown page, one of its headings has that anchor (as GitHub makes them).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = join(__dirname, '..', '..');
const SKIP = new Set(['node_modules', 'lib', 'coverage', '.git']);

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIP.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

/** The text outside fenced code blocks, where links and headings are. */
const prose = (path: string) => readFileSync(path, 'utf8').replace(/^```[\s\S]*?^```/gm, '');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const anchor = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

const anchorsOf = (path: string) =>
  new Set([...prose(path).matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => anchor(m[1]!)));

const pages = markdownFiles(root);

test('the repository has its pages', () => {
  const names = pages.map((p) => relative(root, p));
  expect(names).toEqual(expect.arrayContaining(['README.md', join('docs', 'README.md')]));
});

test.each(pages.map((p) => [relative(root, p), p]))('%s: every relative link resolves', (_, page) => {
  const broken: string[] = [];
  for (const [, target] of prose(page).matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z][a-z+.-]*:/i.test(target!)) continue; // https:, mailto:, ...
    const [file, fragment] = target!.split('#') as [string, string | undefined];
    const path = file ? join(dirname(page), decodeURIComponent(file)) : page;
    if (!existsSync(path)) broken.push(`${target}: no such file`);
    else if (fragment && path.endsWith('.md') && !anchorsOf(path).has(fragment))
      broken.push(`${target}: no such heading`);
  }
  expect(broken).toEqual([]);
});
