/**
 * How the maintenance commands on the platform run: opened from the environment (connect.ts),
 * closed after, errors printed without a stack.
 */
import type { Platform } from "../platform.ts";
import { connectFromEnv, startupMessage } from "./connect.ts";
import { UsageError } from "./args.ts";

/**
 * Parses the command line, opens the platform, runs `main` and closes the platform; exits with
 * `main`'s code. An error exits 2: printed as it is when its message matches `plain` (the
 * command's own errors: usage, unknown names), else as a startup problem (startupMessage).
 */
export function runOnPlatform<A>(
  parse: (argv: string[]) => A,
  main: (args: A, platform: Platform) => Promise<number>,
  plain: RegExp,
): void {
  const run = async () => {
    const args = parse(process.argv.slice(2));
    const conn = await connectFromEnv({ attach: true }); // beside a running application: use its server
    try {
      return await main(args, conn.platform);
    } finally {
      await conn.stop();
    }
  };
  run().then(
    (code) => process.exit(code),
    (e) => {
      console.error(
        e instanceof UsageError || (e instanceof Error && plain.test(e.message)) ? e.message : startupMessage(e),
      );
      process.exit(2);
    },
  );
}
