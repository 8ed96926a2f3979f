import { accessSync, constants } from 'node:fs';

/** Where Debian's `chromium` package (tooling/scripts/ensure-browser.sh) and others put it. */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/**
 * The Chromium executable the browser test drives: `CHROMIUM_PATH` when set, else the first
 * installed candidate. Locally a missing browser skips the test (saying why); in CI
 * (`CI=true`) it fails.
 */
export function findChromium(): string | undefined {
  const given = process.env.CHROMIUM_PATH;
  const found = (given === undefined ? CANDIDATES : [given]).find(isExecutable);
  if (found !== undefined) return found;
  const looked = given === undefined ? CANDIDATES.join(', ') : `CHROMIUM_PATH=${given}`;
  if (process.env.CI === 'true')
    throw new Error(
      `no Chromium at ${looked} (CI=true: failing, not skipping; run tooling/scripts/ensure-browser.sh)`,
    );
  console.warn(
    `skipping the browser test: no Chromium at ${looked} (apt-get install chromium, or set CHROMIUM_PATH)`,
  );
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
