/**
 * The command line of every maintenance command, read with node:util's parseArgs: options by
 * name, `--help` (or `-h`) printing the command's usage, and any unknown or incomplete argument
 * refused with a UsageError that carries the usage — printed as it is, exit code 2.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";

export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig["options"]>;

export interface CommandLine<O extends Options> {
  /** The first word (the command's subcommand), when `commands` are given. */
  command: string;
  values: ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>["values"];
  positionals: string[];
}

export function commandLine<O extends Options>(
  spec: { usage: string; options: O; commands?: readonly string[]; positionals?: boolean },
  argv: string[] = process.argv.slice(2),
): CommandLine<O> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(spec.usage);
    process.exit(0);
  }
  const parsed = (() => {
    try {
      return parseArgs({ args: argv, options: spec.options, allowPositionals: true, strict: true });
    } catch (e) {
      throw new UsageError(`${(e as Error).message}\n${spec.usage}`);
    }
  })();
  const positionals = [...parsed.positionals];
  let command = "";
  if (spec.commands) {
    command = positionals.shift() ?? "";
    if (!spec.commands.includes(command)) throw new UsageError(`Unknown command "${command}".\n${spec.usage}`);
  }
  if (!spec.positionals && positionals.length)
    throw new UsageError(`Unexpected argument "${positionals[0]}".\n${spec.usage}`);
  return { command, values: parsed.values as CommandLine<O>["values"], positionals };
}

/** A whole number from an option, at least `min`. */
export function intOption(v: string | undefined, name: string, min: number, usage: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min)
    throw new UsageError(`--${name} takes a whole number of at least ${min}, got "${v}".\n${usage}`);
  return Number(v);
}
