// The scripts' worker processes run as JavaScript, as production runs `node lib/worker.js`: through
// tsx, the loader's own thread and its transpile caches add 35 to 45 MiB to the worker's RSS, which
// the bench's memory figures would count against the worker. Sources are transpiled without type
// checking (`tsc --noEmit` does that) into a directory named after their content, so concurrent
// scripts share one copy and a changed source gets a new one.
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '..');
/** The trees a worker process may import from (src, the scripts, the simulator they start). */
const TREES = ['src', 'dev', 'simulator'];
/** Inside node_modules: ignored by git, and compiled files still resolve the project's packages. */
const CACHE = join(ROOT, 'node_modules', '.cache', 'circle-partner-onboarding', 'compiled');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'test' ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function compilerOptions(): ts.CompilerOptions {
  const file = join(ROOT, 'tsconfig.json');
  const { config } = ts.readConfigFile(file, (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
  return { ...parsed.options, noEmit: false, sourceMap: false, inlineSourceMap: true };
}

let compiled: string | undefined;

/** The compiled copy of the project's sources (made once per content), returning its root. */
export function compiledSources(): string {
  if (compiled) return compiled;
  const files = TREES.flatMap((tree) => sources(join(ROOT, tree))).sort();
  const texts = files.map((file) => readFileSync(file, 'utf8'));
  const hash = createHash('sha256');
  files.forEach((file, i) =>
    hash
      .update(relative(ROOT, file))
      .update('\0')
      .update(texts[i] ?? ''),
  );
  const target = join(CACHE, hash.digest('hex').slice(0, 16));
  if (!existsSync(target)) {
    const options = compilerOptions();
    const staging = `${target}.${process.pid}.tmp`;
    files.forEach((file, i) => {
      const { outputText } = ts.transpileModule(texts[i] ?? '', { compilerOptions: options, fileName: file });
      const out = join(staging, relative(ROOT, file)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, outputText);
    });
    try {
      renameSync(staging, target);
    } catch (err) {
      // Another process made the same copy first: theirs is identical.
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(target)) throw err;
    }
  }
  prune(target);
  compiled = target;
  return target;
}

/** Copies of older sources, left a day ago or more: nothing still running uses them. */
function prune(keep: string): void {
  const dayAgo = Date.now() - 24 * 3600_000;
  for (const entry of readdirSync(CACHE, { withFileTypes: true })) {
    const path = join(CACHE, entry.name);
    if (path !== keep && entry.isDirectory() && statSync(path).mtimeMs < dayAgo) {
      rmSync(path, { recursive: true, force: true });
    }
  }
}

/** The compiled file of a `.ts` entry inside the project (other entries are returned as they are). */
export function compiledEntry(entry: string): string {
  if (!entry.endsWith('.ts')) return entry;
  const path = relative(ROOT, resolve(entry));
  if (path.startsWith('..') || !TREES.includes(path.split(/[\\/]/)[0] ?? '')) {
    throw new Error(`${entry} is outside ${TREES.join(', ')}: only the project's own sources are compiled`);
  }
  return join(compiledSources(), path.replace(/\.ts$/, '.js'));
}
