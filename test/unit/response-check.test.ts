import { describe, expect, it } from "vitest";
import { z } from "zod";
import { checkedResponse, undeclaredKeys } from "../../signaling/api/responseCheck";
import { defineRoute } from "../../signaling/api/route";

const route = defineRoute({
  id: "people.get",
  method: "get",
  path: "/people/:id",
  summary: "one person",
  auth: "user",
  response: z.object({ person: z.object({ id: z.string(), name: z.string(), seenAt: z.string() }), tags: z.array(z.object({ label: z.string() })) }),
  handler: async () => ({ person: { id: "p1", name: "A", seenAt: "2026-12-06T00:00:00.000Z" }, tags: [] }),
});

const leaking = {
  person: { id: "p1", name: "A", seenAt: new Date("2026-12-06T00:00:00Z"), cccd: "001099012345" },
  tags: [{ label: "x", internalNote: "n" }],
};

describe("responses held to their declared schema", () => {
  it("lists every field the schema does not declare, nested and in arrays", () => {
    const wire = JSON.parse(JSON.stringify(leaking));
    expect(undeclaredKeys(wire, route.response.parse(wire))).toEqual(["person.cccd", "tags[0].internalNote"]);
  });

  it("strict mode (development, tests) refuses an answer with undeclared fields, naming paths but no values", () => {
    expect(() => checkedResponse(route, leaking, "strict")).toThrow(/people\.get.*person\.cccd, tags\[0\]\.internalNote/);
    try {
      checkedResponse(route, leaking, "strict");
    } catch (error) {
      expect(String(error)).not.toContain("001099012345");
    }
  });

  it("strip mode (production) sends only what the schema declares, dates in their wire form", () => {
    expect(checkedResponse(route, leaking, "strip")).toEqual({
      person: { id: "p1", name: "A", seenAt: "2026-12-06T00:00:00.000Z" },
      tags: [{ label: "x" }],
    });
  });

  it("never sends an answer that does not match, in either mode", () => {
    const wrong = { person: { id: "p1" }, tags: [] };
    expect(() => checkedResponse(route, wrong, "strip")).toThrow(/does not match its response schema \(person\.name/);
    expect(() => checkedResponse(route, wrong, "strict")).toThrow(/does not match/);
  });

  it("passes a declared answer through unchanged", () => {
    const fine = { person: { id: "p1", name: "A", seenAt: "2026-12-06T00:00:00.000Z" }, tags: [{ label: "x" }] };
    expect(checkedResponse(route, fine, "strict")).toEqual(fine);
  });
});
