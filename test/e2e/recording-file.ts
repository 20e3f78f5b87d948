import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import { type APIRequestContext, expect, test } from "@playwright/test";
import { DEMO_PASSWORD } from "./session";

/** A recording as the meetings API presents it: the instants the server stored are the reference. */
export interface StoredRecording {
  id: string;
  status: string;
  sha256: string | null;
  partial: boolean;
  startedAt: string;
  stoppedAt: string | null;
  durationSeconds: number | null;
}

/** How far the file may be from the stored span: the bound for "covers what it announced". */
export const SPAN_TOLERANCE_SECONDS = 0.5;

export async function tokenOf(request: APIRequestContext, username: string): Promise<string> {
  const login = (await (await request.post("/api/auth/login", { data: { username, password: DEMO_PASSWORD } })).json()) as { accessToken: string };
  return login.accessToken;
}

async function apiGet<T>(request: APIRequestContext, token: string, path: string): Promise<T> {
  const response = await request.get(`/api${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status(), path).toBe(200);
  return (await response.json()) as T;
}

/** The meeting of a room and its first recording, once composed (or failed: the caller's expectation fails then). */
export async function composedRecording(request: APIRequestContext, token: string, roomId: string): Promise<{ meetingId: string; recording: StoredRecording }> {
  const meetings = await apiGet<{ items: { id: string; roomId: string }[] }>(request, token, "/meetings?pageSize=100");
  const meeting = meetings.items.find((item) => item.roomId === roomId);
  expect(meeting, `a meeting for room ${roomId}`).toBeDefined();
  let recording: StoredRecording | undefined;
  await expect
    .poll(
      async () => {
        recording = (await apiGet<{ recordings: StoredRecording[] }>(request, token, `/meetings/${meeting!.id}`)).recordings[0];
        return recording?.status;
      },
      { timeout: 60_000, message: "the recording is composed" },
    )
    .toMatch(/ready|failed/);
  return { meetingId: meeting!.id, recording: recording! };
}

interface Probe {
  streams: { codec_type: string }[];
  format: { duration: string };
}

/**
 * The downloaded file is the stored one (SHA-256), has a video and an audio stream, and lasts the span
 * the server stored between its announced start and its stop, within SPAN_TOLERANCE_SECONDS. Returns
 * the figures, which are also attached to the test's annotations.
 */
export function expectFileCoversStoredSpan(file: string, recording: StoredRecording): { fileSeconds: number; spanSeconds: number } {
  expect(createHash("sha256").update(fs.readFileSync(file)).digest("hex")).toBe(recording.sha256);
  const probe = JSON.parse(execFileSync("ffprobe", ["-v", "error", "-show_streams", "-show_format", "-of", "json", file], { encoding: "utf8" })) as Probe;
  expect(probe.streams.map((stream) => stream.codec_type).sort()).toEqual(["audio", "video"]);
  expect(recording.stoppedAt, "the stop instant is stored").not.toBeNull();
  const spanSeconds = (Date.parse(recording.stoppedAt!) - Date.parse(recording.startedAt)) / 1000;
  const fileSeconds = Number(probe.format.duration);
  const figures = `file ${fileSeconds.toFixed(3)} s, stored span ${spanSeconds.toFixed(3)} s`;
  test.info().annotations.push({ type: "recording", description: figures });
  console.log(`${test.info().title}: ${figures}`);
  expect(Math.abs(fileSeconds - spanSeconds), `file ${fileSeconds} s vs stored span ${spanSeconds} s`).toBeLessThanOrEqual(SPAN_TOLERANCE_SECONDS);
  return { fileSeconds, spanSeconds };
}

/** Reported, never asserted (timing depends on the machine): from the chair's click to the room's badge. */
export function noteStartGap(milliseconds: number): void {
  test.info().annotations.push({ type: "recording start gap", description: `${milliseconds} ms from the click to the badge` });
  console.log(`${test.info().title}: start gap ${milliseconds} ms from the click to the badge`);
}
