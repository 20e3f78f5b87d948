import { describe, expect, it } from "vitest";
import { layerForWidth } from "../../client/src/media/layers";
import { countUnread } from "../../client/src/components/chatUnread";
import { formatElapsed } from "../../client/src/dates";
import { briefingLayout, GRID_PAGE_SIZE, noteSpeaker, orderParticipants, orderTiles, pageOf, RAIL_PAGE_SIZE } from "../../client/src/media/tileOrder";

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

describe("briefing layout (who is first and largest on a site's page)", () => {
  const base = { spotlightPeerId: null, floorPeerId: null, recentSpeakers: [] as string[], presenting: false, page: 0 };

  it("features the chair, first, even when sites joined before it and one of them speaks", () => {
    const layout = briefingLayout({ ...base, peerIds: ["site-a", "site-b", "chair"], chairPeerIds: ["chair"], recentSpeakers: ["site-b"] });
    expect(layout.featured).toBe("chair");
    expect(layout.rail).toBe(true);
    expect(layout.others.items).toEqual(["site-b", "site-a"]);
    expect(layout.visible).toEqual(["chair", "site-b", "site-a"]);
  });

  it("features the spotlight over the site holding the floor, and the floor over the chair", () => {
    const peers = { ...base, peerIds: ["chair", "a", "b"], chairPeerIds: ["chair"] };
    expect(briefingLayout({ ...peers, floorPeerId: "a" }).featured).toBe("a");
    expect(briefingLayout({ ...peers, floorPeerId: "a", spotlightPeerId: "b" }).featured).toBe("b");
    expect(briefingLayout({ ...peers, floorPeerId: "a" }).others.items).toEqual(["chair", "b"]);
  });

  it("features no tile during a presentation, but keeps the chair first in the rail", () => {
    const layout = briefingLayout({ ...base, peerIds: ["a", "chair"], chairPeerIds: ["chair"], presenting: true });
    expect(layout.featured).toBeNull();
    expect(layout.rail).toBe(true);
    expect(layout.others.items).toEqual(["chair", "a"]);
  });

  it("gives the chair's own page (no other chair) an even grid", () => {
    const layout = briefingLayout({ ...base, peerIds: ["a", "b"], chairPeerIds: ["me"] });
    expect(layout).toMatchObject({ featured: null, rail: false });
    expect(layout.others.items).toEqual(["a", "b"]);
  });

  it("pins the featured tile on every page and pages only the others", () => {
    const sites = Array.from({ length: 20 }, (_, i) => `s${i}`);
    const peerIds = [...sites, "chair"];
    const second = briefingLayout({ ...base, peerIds, chairPeerIds: ["chair"], page: 1 });
    expect(second.featured).toBe("chair");
    expect(second.others.items).toEqual(sites.slice(RAIL_PAGE_SIZE, 2 * RAIL_PAGE_SIZE));
    expect(second.visible).toEqual(["chair", ...sites.slice(RAIL_PAGE_SIZE, 2 * RAIL_PAGE_SIZE)]);
    expect(second.others.pageCount).toBe(Math.ceil(20 / RAIL_PAGE_SIZE));
    const grid = briefingLayout({ ...base, peerIds: sites, chairPeerIds: [] });
    expect(grid.others.items).toHaveLength(GRID_PAGE_SIZE);
    expect(grid.visible).toHaveLength(GRID_PAGE_SIZE);
  });

  it("ignores a chair or spotlight that is not in the room", () => {
    expect(briefingLayout({ ...base, peerIds: ["a"], chairPeerIds: ["gone"], spotlightPeerId: "gone too" }).featured).toBeNull();
  });
});

describe("participant list order", () => {
  it("puts the floor, the chairs, raised hands in the order raised, then everyone in join order", () => {
    expect(orderParticipants({ peerIds: ["a", "b", "c", "d", "chair"], chairPeerIds: ["chair"], hands: ["d", "b"], floorPeerId: "c" })).toEqual(["c", "chair", "d", "b", "a"]);
  });
});

describe("room top bar", () => {
  it("writes the meeting's running time as mm:ss, then h:mm:ss", () => {
    expect(formatElapsed(0)).toBe("00:00");
    expect(formatElapsed(65_400)).toBe("01:05");
    expect(formatElapsed(3_599_999)).toBe("59:59");
    expect(formatElapsed(3_729_000)).toBe("1:02:09");
    expect(formatElapsed(-5_000)).toBe("00:00");
  });

  it("counts unread chat messages by id, never the site's own", () => {
    const message = (id: string, peerId: string) => ({ id, peerId, displayName: peerId, text: id, at: "2026-12-07T01:00:00.000Z" });
    const messages = [message("m1", "chair"), message("m2", "me"), message("m3", "chair")];
    expect(countUnread(messages, new Set(), "me")).toBe(2);
    expect(countUnread(messages, new Set(["m1"]), "me")).toBe(1);
    expect(countUnread(messages, new Set(["m1", "m2", "m3"]), "me")).toBe(0);
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
