import { describe, expect, it } from "vitest";
import { compositionFilterGraph, planComposition, type RecordedTrack } from "../../sfu/recording";

function track(kind: "audio" | "video", mediaStartedAt: number, endedAt: number): RecordedTrack {
  return {
    producerId: `${kind}-${mediaStartedAt}`,
    kind,
    mimeType: kind === "audio" ? "audio/opus" : "video/VP8",
    file: `/tmp/${kind}.mkv`,
    label: { peerId: "p", displayName: "Chủ tịch", source: kind === "audio" ? "mic" : "webcam" },
    startedAt: mediaStartedAt - 100,
    mediaStartedAt,
    endedAt,
    failed: false,
  };
}

const canvas = { width: 1280, height: 720 };

describe("planComposition with the announced span", () => {
  it("lasts exactly the span and cuts the head of a file that began before the announced start", () => {
    const audio = track("audio", 1_000, 7_000);
    const video = track("video", 1_800, 7_000);
    const plan = planComposition(
      [
        { track: audio, durationSeconds: 6 },
        { track: video, durationSeconds: 5.2 },
      ],
      { canvas, frameRate: 25, span: { startedAt: 2_000, stoppedAt: 6_500 } },
    );
    expect(plan.totalSeconds).toBe(4.5);
    expect(plan.audio[0]!.offsetSeconds).toBe(-1);
    expect(plan.video[0]!.offsetSeconds).toBeCloseTo(-0.2);
    const graph = compositionFilterGraph(plan);
    expect(graph).toContain("trim=start=0.200");
    expect(graph).toContain("atrim=start=1.000");
    expect(graph).toContain("adelay=delays=0");
    expect(graph).toContain("d=4.500");
  });

  it("leaves out a file wholly outside the span and places a later one at its own start", () => {
    const early = track("video", 0, 900);
    const late = track("video", 3_000, 6_000);
    const plan = planComposition(
      [
        { track: early, durationSeconds: 0.9 },
        { track: late, durationSeconds: 3 },
      ],
      { canvas, frameRate: 25, span: { startedAt: 1_000, stoppedAt: 6_000 } },
    );
    expect(plan.video.map((entry) => entry.track)).toEqual([late]);
    expect(plan.video[0]!.offsetSeconds).toBe(2);
    expect(compositionFilterGraph(plan)).toContain("setpts=PTS-STARTPTS+2.000/TB");
  });
});
