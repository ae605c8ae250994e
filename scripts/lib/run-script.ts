/**
 * Runs a command-line script's main function and exits: with its code (0 when it returns
 * nothing), or 1 after printing `name: message` and any detail lines `details` gives for the error.
 */
export function runScript(name: string, main: () => Promise<number | void>, details: (err: unknown) => string[] = () => []): void {
  main().then(
    (code) => process.exit(code ?? 0),
    (err: unknown) => {
      console.error(`${name}: ${err instanceof Error ? err.message : String(err)}`);
      for (const line of details(err)) console.error(line);
      process.exit(1);
    },
  );
}
