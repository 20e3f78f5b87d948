import { describe, expect, it } from "vitest";
import { layerForWidth } from "../../client/src/media/layers";
import { noteSpeaker, orderTiles, pageOf } from "../../client/src/media/tileOrder";

describe("tile order", () => {
  const peerIds = ["a", "b", "c", "d", "e"];

  it("puts the spotlight, then chairs, then recent speakers, then the rest in join order", () => {
    expect(orderTiles({ peerIds, spotlightPeerId: "d", chairPeerIds: ["b"], recentSpeakers: ["e", "b"] })).toEqual(["d", "b", "e", "a", "c"]);
  });

  it("ignores ids of peers who are not here and never repeats one", () => {
    expect(orderTiles({ peerIds, spotlightPeerId: "gone", chairPeerIds: ["a", "a"], recentSpeakers: ["x", "a"] })).toEqual(peerIds);
  });

  it("pages the grid and clamps a page past the end", () => {
    const items = Array.from({ length: 41 }, (_, i) => i);
    expect(pageOf(items, 8, 0)).toEqual({ items: [0, 1, 2, 3, 4, 5, 6, 7], page: 0, pageCount: 6 });
    expect(pageOf(items, 8, 5).items).toEqual([40]);
    expect(pageOf(items, 8, 9).page).toBe(5);
    expect(pageOf([], 8, 0)).toEqual({ items: [], page: 0, pageCount: 1 });
  });

  it("keeps the most recent speaker first and bounds the list", () => {
    let recent: string[] = [];
    for (const id of ["a", "b", "a", "c"]) recent = noteSpeaker(recent, id, 3);
    expect(recent).toEqual(["c", "a", "b"]);
    expect(noteSpeaker(["a", "b", "c"], "d", 3)).toEqual(["d", "a", "b"]);
  });
});

describe("simulcast layer for a tile", () => {
  it.each([
    [160, 0],
    [320, 0],
    [400, 1],
    [640, 1],
    [700, 2],
    [1920, 2],
  ])("%i device pixels wide → layer %i", (width, layer) => {
    expect(layerForWidth(width)).toBe(layer);
  });
});
