import { describe, expect, it } from "vitest";
import { type Actor, type BriefingRecordRef, meetingPolicy, type MeetingRecordRef, type SessionRecordRef } from "../../signaling/policies";
import type { Role } from "../../signaling/protocol";

/** The tree: province /p/ with departments /p/a/ (its child /p/a/x/) and /p/b/, and an unrelated /p/c/. */
const unit = (path: string) => ({ id: path.split("/").filter(Boolean).at(-1)!, path });
const province = unit("/p/");
const a = unit("/p/a/");
const ax = unit("/p/a/x/");
const b = unit("/p/b/");
const c = unit("/p/c/");
const actor = (id: string, place: { id: string; path: string }, ...roles: Role[]): Actor => ({ id, roles, unitId: place.id, unitPath: place.path });

const briefing = (ref: Partial<BriefingRecordRef>): MeetingRecordRef => ({
  kind: "briefing",
  briefing: { chairUserId: null, hostUnit: null, invitedUnits: [], attendingUnits: [], ...ref },
});
const reception = (ref: Partial<SessionRecordRef>): MeetingRecordRef => ({
  kind: "reception",
  session: { unit: a, hostUserId: "host", invited: [], petitionKinds: ["complaint"], ...ref },
});

describe("a briefing's record", () => {
  const hosted = briefing({ hostUnit: a, invitedUnits: [b], chairUserId: "chair" });

  it("is read by staff of the host's and the invited units' subtrees, the leaders and admins over them, and the chair", () => {
    expect(meetingPolicy.readRecord(actor("1", a, "officer"), hosted)).toBe(true);
    expect(meetingPolicy.readRecord(actor("2", ax, "inspector"), hosted)).toBe(true);
    expect(meetingPolicy.readRecord(actor("3", b, "officer"), hosted)).toBe(true);
    expect(meetingPolicy.readRecord(actor("4", province, "leader"), hosted)).toBe(true);
    expect(meetingPolicy.readRecord(actor("5", province, "admin"), hosted)).toBe(true);
    expect(meetingPolicy.readRecord(actor("chair", c, "leader"), hosted)).toBe(true);
  });

  it("is not read by an unrelated unit, an officer above the host, or a site account", () => {
    expect(meetingPolicy.readRecord(actor("6", c, "leader"), hosted)).toBe(false);
    expect(meetingPolicy.readRecord(actor("7", c, "admin"), hosted)).toBe(false);
    expect(meetingPolicy.readRecord(actor("8", province, "officer"), hosted)).toBe(false);
    expect(meetingPolicy.readRecord(actor("9", a, "site"), hosted)).toBe(false);
  });

  it("of an ad-hoc room belongs to the units that attended; with none, to nobody", () => {
    expect(meetingPolicy.readRecord(actor("1", ax, "officer"), briefing({ attendingUnits: [ax] }))).toBe(true);
    expect(meetingPolicy.readRecord(actor("1", b, "officer"), briefing({ attendingUnits: [ax] }))).toBe(false);
    expect(meetingPolicy.readRecord(actor("4", province, "leader"), briefing({}))).toBe(false);
  });

  it("names everyone in it: no citizen is ever in a briefing", () => {
    expect(meetingPolicy.readCitizenNames(actor("1", a, "officer"), hosted)).toBe(true);
  });
});

describe("a reception room's record", () => {
  it("is for the unit's reception staff and the invited sites' staff, never admins", () => {
    const invited = reception({ invited: [{ unit: b, role: "agency" }] });
    expect(meetingPolicy.readRecord(actor("1", a, "officer"), invited)).toBe(true);
    expect(meetingPolicy.readRecord(actor("2", b, "inspector"), invited)).toBe(true);
    expect(meetingPolicy.readRecord(actor("3", a, "inspector"), invited)).toBe(false);
    expect(meetingPolicy.readRecord(actor("4", province, "admin"), invited)).toBe(false);
    expect(meetingPolicy.readRecord(actor("5", c, "leader"), invited)).toBe(false);
  });

  it("names the citizen to the host and the leaders over the unit; to desk officers only when the petition is known and not a denunciation", () => {
    const desk = actor("desk", a, "officer");
    const host = actor("host", a, "officer");
    const leader = actor("lead", province, "leader");
    for (const kinds of [["denunciation"], [], ["complaint", "denunciation"]]) {
      const session = reception({ petitionKinds: kinds });
      expect(meetingPolicy.readCitizenNames(desk, session), kinds.join()).toBe(false);
      expect(meetingPolicy.readCitizenNames(host, session)).toBe(true);
      expect(meetingPolicy.readCitizenNames(leader, session)).toBe(true);
      expect(meetingPolicy.downloadRecording(desk, session)).toBe(false);
    }
    expect(meetingPolicy.readCitizenNames(desk, reception({ petitionKinds: ["complaint"] }))).toBe(true);
    // An invited agency saw the citizen live but does not keep them in its records.
    const agency = reception({ invited: [{ unit: b, role: "agency" }] });
    expect(meetingPolicy.readCitizenNames(actor("2", b, "leader"), agency)).toBe(false);
    expect(meetingPolicy.downloadRecording(actor("2", b, "leader"), agency)).toBe(false);
  });
});
