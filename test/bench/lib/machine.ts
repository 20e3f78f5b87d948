import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as mediasoup from "mediasoup";
import { repoRoot } from "../../../signaling/paths";

function firstLine(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).split("\n")[0]!.trim();
  } catch {
    return "not found";
  }
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(repoRoot, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "not installed";
  }
}

export interface Versions {
  node: string;
  mediasoup: string;
  ffmpeg: string;
  chromium: string;
  prisma: string;
  socketIo: string;
  playwright: string;
  commit: string;
  /** Files changed in the working tree when the bench ran (others edit it at the same time). */
  uncommittedFiles: number;
}

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGB: number;
  os: string;
  loadAverageAtStart: number[];
}

export function versions(): Versions {
  const status = firstLine("git", ["-C", repoRoot, "rev-parse", "HEAD"]);
  let uncommitted: number;
  try {
    uncommitted = execFileSync("git", ["-C", repoRoot, "status", "--porcelain"], { encoding: "utf8" }).split("\n").filter(Boolean).length;
  } catch {
    uncommitted = -1;
  }
  return {
    node: process.version,
    mediasoup: mediasoup.version,
    ffmpeg: firstLine("ffmpeg", ["-hide_banner", "-version"]),
    chromium: firstLine("/usr/bin/chromium", ["--version"]),
    prisma: packageVersion("@prisma/client"),
    socketIo: packageVersion("socket.io"),
    playwright: packageVersion("@playwright/test"),
    commit: status,
    uncommittedFiles: uncommitted,
  };
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? "unknown",
    cores: os.availableParallelism(),
    memoryGB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} (${firstLine("sh", ["-c", ". /etc/os-release && echo $PRETTY_NAME"])})`,
    loadAverageAtStart: os.loadavg().map((value) => Math.round(value * 100) / 100),
  };
}
