import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { RecordingError } from "./errors";

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (e.g. ENOENT). */
  error?: Error;
}

/** Enough of ffmpeg's stderr to explain a failure, without holding hours of warnings. */
const STDERR_TAIL_CHARS = 4000;

/**
 * One ffmpeg (or ffprobe) child process. Its exit is a promise that never rejects, so a process dying
 * at any moment cannot surface as an unhandled rejection or an unhandled 'error' event.
 */
export class FfmpegProcess {
  readonly exited: Promise<ProcessExit>;
  readonly #child: ChildProcess;
  readonly #name: string;
  #stderr = "";
  #exit: ProcessExit | undefined;

  static spawn(command: string, args: readonly string[], options: { onStdoutLine?: (line: string) => void } = {}): FfmpegProcess {
    return new FfmpegProcess(command, args, options);
  }

  private constructor(command: string, args: readonly string[], options: { onStdoutLine?: (line: string) => void }) {
    const onLine = options.onStdoutLine;
    this.#name = path.basename(command);
    this.#child = spawn(command, args, { stdio: ["ignore", onLine ? "pipe" : "ignore", "pipe"] });
    this.#child.stderr?.setEncoding("utf8");
    this.#child.stderr?.on("data", (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-STDERR_TAIL_CHARS);
    });
    if (onLine && this.#child.stdout) {
      let pending = "";
      this.#child.stdout.setEncoding("utf8");
      this.#child.stdout.on("data", (chunk: string) => {
        const lines = (pending + chunk).split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) onLine(line.trim());
      });
    }
    this.exited = new Promise((resolve) => {
      const settle = (exit: ProcessExit) => {
        if (this.#exit) return;
        this.#exit = exit;
        resolve(exit);
      };
      this.#child.once("error", (error) => settle({ code: null, signal: null, error }));
      this.#child.once("close", (code, signal) => settle({ code, signal }));
    });
  }

  get pid(): number | undefined {
    return this.#exit ? undefined : this.#child.pid;
  }

  get running(): boolean {
    return this.#exit === undefined;
  }

  /** The last few kilobytes ffmpeg wrote to stderr. */
  get stderrTail(): string {
    return this.#stderr.trim();
  }

  /**
   * SIGINT makes ffmpeg flush and write the container's index; SIGKILL (after `timeoutMs`) leaves a file
   * without it. `forced` tells which one ended the process. (A second SIGINT would not help: it aborts
   * ffmpeg's pending reads, but its writes too, and the index is lost all the same.)
   */
  async interrupt(timeoutMs: number): Promise<{ exit: ProcessExit; forced: boolean }> {
    if (this.#exit) return { exit: this.#exit, forced: false };
    this.#child.kill("SIGINT");
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    const first = await Promise.race([this.exited, timedOut]);
    clearTimeout(timer);
    if (first !== "timeout") return { exit: first, forced: false };
    this.#child.kill("SIGKILL");
    return { exit: await this.exited, forced: true };
  }

  kill(): void {
    if (this.running) this.#child.kill("SIGKILL");
  }

  describeExit(exit: ProcessExit): string {
    const how = exit.error ? `could not start: ${exit.error.message}` : exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    const tail = this.stderrTail;
    return tail ? `${this.#name} ${how}: ${tail.split("\n").slice(-5).join(" | ")}` : `${this.#name} ${how}`;
  }
}

/** Runs a process to completion; resolves with its stdout, rejects with its stderr when it fails. */
export async function runToCompletion(
  command: string,
  args: readonly string[],
  options: { onStdoutLine?: (line: string) => void } = {},
): Promise<string> {
  const output: string[] = [];
  const child = FfmpegProcess.spawn(command, args, {
    onStdoutLine: (line) => {
      output.push(line);
      options.onStdoutLine?.(line);
    },
  });
  const exit = await child.exited;
  if (exit.code !== 0) {
    throw new RecordingError("FFMPEG_FAILED", child.describeExit(exit), { cause: exit.error });
  }
  return output.join("\n");
}

const encoderLists = new Map<string, Promise<Set<string>>>();

/** The encoder names an ffmpeg build offers (asked once per binary): Debian's has libx264, others may not. */
export function ffmpegEncoders(ffmpegPath: string): Promise<Set<string>> {
  let list = encoderLists.get(ffmpegPath);
  if (!list) {
    list = runToCompletion(ffmpegPath, ["-hide_banner", "-encoders"]).then((text) => {
      const names = new Set<string>();
      // Lines look like " V....D libx264   libx264 H.264 / AVC ..." after a legend ending in "------".
      for (const line of text.split("\n")) {
        const match = /^\s*[VAS][A-Z.]{5}\s+(\S+)/.exec(line);
        if (match?.[1]) names.add(match[1]);
      }
      return names;
    });
    // A failed look-up (ffmpeg missing) must not be cached: the next call may find it installed.
    list.catch(() => encoderLists.delete(ffmpegPath));
    encoderLists.set(ffmpegPath, list);
  }
  return list;
}

/** ffprobe beside the given ffmpeg ("ffmpeg" → "ffprobe", "/opt/x/ffmpeg" → "/opt/x/ffprobe"). */
export function ffprobeBeside(ffmpegPath: string): string {
  const base = path.basename(ffmpegPath);
  const probe = base.replace(/ffmpeg/i, "ffprobe");
  if (probe === base) return "ffprobe";
  return ffmpegPath === base ? probe : path.join(path.dirname(ffmpegPath), probe);
}
