import { Session } from "node:inspector/promises";
import path from "node:path";
import { repoRoot } from "../../../signaling/paths";

export interface HotFunction {
  function: string;
  /** file:line, relative to the repository when inside it. */
  where: string;
  selfMs: number;
  selfPercent: number;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/**
 * CPU profile of this process (V8's sampling profiler through the inspector) while `fn` runs; returns
 * the functions with the most self time. Used on the in-process server to name what blocks its loop.
 */
export async function profileHotFunctions<T>(fn: () => Promise<T>, top = 12): Promise<{ value: T; hot: HotFunction[]; totalMs: number }> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 500 });
  await session.post("Profiler.start");
  type Profile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[] };
  let value: T;
  let profile: Profile;
  try {
    value = await fn();
  } finally {
    profile = ((await session.post("Profiler.stop")) as { profile: Profile }).profile;
    session.disconnect();
  }
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const perSample = totalMs / Math.max(1, profile.samples.length);
  const byFunction = new Map<string, { function: string; where: string; samples: number }>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    if (!node.hitCount) continue;
    const file = url.startsWith("file://") ? path.relative(repoRoot, new URL(url).pathname) : url;
    const name = functionName || (url ? "(anonymous)" : `(${functionName || "native"})`);
    const key = `${name}@${file}:${lineNumber}`;
    const entry = byFunction.get(key) ?? { function: name, where: file ? `${file}:${lineNumber + 1}` : "", samples: 0 };
    entry.samples += node.hitCount;
    byFunction.set(key, entry);
  }
  const hot = [...byFunction.values()]
    .filter((entry) => entry.function !== "(idle)")
    .sort((a, b) => b.samples - a.samples)
    .slice(0, top)
    .map((entry) => ({ function: entry.function, where: entry.where, selfMs: Math.round(entry.samples * perSample), selfPercent: Math.round(((entry.samples * perSample) / totalMs) * 1000) / 10 }));
  return { value, hot, totalMs };
}
