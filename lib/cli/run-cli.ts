/**
 * Runs a CLI command; a failure the app caused (missing deployment metadata, an unreadable manifest) is one line
 * naming what to fix, never a stack trace.
 */
export function runCli(name: string, main: (args: string[]) => number, args: string[]): number {
  try {
    return main(args);
  } catch (error) {
    console.error(`${name}: ${(error as Error).message}`);
    console.error(`${name}: see help/ci-tooling.md`);
    return 2;
  }
}
