import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./outbox-relay-process.ts', import.meta.url));
const PACKAGE = fileURLToPath(new URL('../../', import.meta.url));

/** A relay process started by a test: its output so far and a way to wait for a line. */
export interface RelayChild {
  readonly child: ChildProcess;
  /** Resolves once stdout has a line for which `match` holds. */
  waitForLine(match: (line: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  /** Resolves when the process has exited (with its signal, if killed). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

/** Starts `outbox-relay-process.ts` on the TypeScript sources (tsx, the source condition). */
export function startRelayChild(env: Record<string, string>): RelayChild {
  const child = spawn(
    process.execPath,
    ['--conditions=@muster/source', '--import', 'tsx', SCRIPT],
    { cwd: PACKAGE, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines: string[] = [];
  let stderr = '';
  let partial = '';
  const waiters = new Set<() => void>();
  child.stdout!.on('data', (chunk: Buffer) => {
    const text = partial + chunk.toString('utf8');
    const parts = text.split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
    for (const wake of waiters) wake();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      resolve({ code, signal });
      for (const wake of waiters) wake();
    });
  });
  const output = () => `stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`;
  return {
    child,
    exited,
    output,
    waitForLine(match, what, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.find(match);
          if (found !== undefined) {
            finish();
            resolve(found);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            finish();
            reject(new Error(`relay exited before ${what}\n${output()}`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`timed out waiting for ${what}\n${output()}`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}
