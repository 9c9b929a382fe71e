// docs/configuration.md names every environment variable the programs read. The variables are not
// listed here: the configuration loaders run over an environment that records each name they look
// up, so a variable added to the code without its line on the page fails this test. The Temporal
// connection's variables are not among them: Temporal's envconfig reads them from a copy of the
// environment, and the page lists them as that library defines them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { workflowCode } from '../../src/temporal/workflow-bundle';

const page = readFileSync(join(__dirname, '..', '..', 'docs', 'configuration.md'), 'utf8');

/** Names of the process's own environment that the Temporal config loader consults (a home folder). */
const SYSTEM = new Set(['HOME', 'USERPROFILE', 'APPDATA', 'XDG_CONFIG_HOME']);

/** Every variable name `read` looks up in an environment holding `given`. */
function namesRead(given: Record<string, string>, read: (env: NodeJS.ProcessEnv) => void): Set<string> {
  const names = new Set<string>();
  const env = new Proxy(given, {
    get(target, name) {
      if (typeof name === 'string') names.add(name);
      return Reflect.get(target, name);
    },
    has(target, name) {
      if (typeof name === 'string') names.add(name);
      return Reflect.has(target, name);
    },
  });
  read(env);
  return new Set([...names].filter((n) => /^[A-Z][A-Z0-9_]*$/.test(n) && !SYSTEM.has(n)));
}

test('every variable the configuration loaders read is on the page', () => {
  const read = new Set([
    ...namesRead({ ONBOARDING_ENV: 'local' }, (env) => loadConfig(env, { warn: () => undefined })),
    // The production rules read some variables only there (e.g. the notification topic).
    ...namesRead({ ONBOARDING_ENV: 'production' }, (env) => {
      expect(() => loadConfig(env, { warn: () => undefined })).toThrow(/Invalid configuration/);
    }),
    ...namesRead({}, (env) => workflowCode(env)),
  ]);
  // The loaders read dozens; a handful would mean the recording missed them, not that all is well.
  expect(read.size).toBeGreaterThan(40);
  expect([...read].filter((name) => !page.includes(`\`${name}\``)).sort()).toEqual([]);
});
