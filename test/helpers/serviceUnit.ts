import type { ChildProcess } from "node:child_process";

/**
 * What tests of the production install share: reading deploy/cau-noi.service the way systemd does, and
 * waiting for the line a started server prints.
 */

/** The values of `Key=` lines of a systemd unit. */
export function unitValues(unit: string, key: string): string[] {
  return unit.split("\n").flatMap((line) => (line.startsWith(`${key}=`) ? [line.slice(key.length + 1)] : []));
}

/**
 * A unit's command line for an install at `installDir` with this test's node: `/opt/cau-noi` becomes
 * `installDir`, `/usr/local/bin/node` the running node. Split on spaces (the unit quotes nothing).
 */
export function unitCommand(line: string, installDir: string): [string, ...string[]] {
  const words = line.replaceAll("/opt/cau-noi", installDir).replace(/^\/usr\/local\/bin\/node(?= )/, process.execPath).split(" ");
  return words as [string, ...string[]];
}

/** Resolves with the first stdout text matching `pattern`, or rejects with everything the process said if it exits first. */
export function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(pattern);
      if (match) resolve(match);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (code) => reject(new Error(`server exited with ${code} before listening:\n${output}`)));
  });
}
