import { describe, expect, it } from "vitest";
import { type CaseAction, caseActions, type CaseState, caseStates, type StepFacts } from "../../signaling/domain/cases/workflow";
import { casePolicy } from "../../signaling/policies/cases";
import { type Role, roles as allRoles } from "../../signaling/protocol";
import { eventHash, GENESIS, verifyChain, type StoredEvent } from "../../signaling/domain/cases/hashChain";

/**
 * The allowed steps written out independently of the workflow table, from the case life in the legal
 * notes: if the table drifts from this, a test fails.
 */
const allowed: Record<CaseAction, CaseState[]> = {
  classify: ["received"],
  accept: ["classified"],
  reject: ["classified"],
  guide: ["classified"],
  archive: ["classified"],
  forward: ["classified"],
  startVerification: ["accepted"],
  extend: ["verifying"],
  suspend: ["accepted", "verifying"],
  resume: ["suspended"],
  terminate: ["accepted", "verifying", "suspended"],
  withdraw: ["received", "classified", "accepted", "verifying", "suspended"],
  conclude: ["verifying"],
  publish: ["concluded"],
  enforce: ["published"],
  close: ["enforced", "notAccepted", "guided", "archived", "terminated", "withdrawn"],
  secondRound: ["accepted", "verifying", "concluded", "published", "enforced", "closed"],
  refile: ["accepted", "verifying", "suspended", "concluded", "published", "enforced", "closed"],
  // Recording a notice or decision as sent: wherever one can be due (issue 13 item 2, duties).
  // Also the forwarding notice before a denunciation is forwarded, and the notice of non-acceptance.
  notify: ["classified", "notAccepted", "accepted", "verifying", "suspended", "terminated", "concluded", "published", "enforced"],
  // Round 2's dialogue with the complainant (Luật KN Art. 39), during the resolution.
  dialogue: ["accepted", "verifying"],
  // Obstacles that stop the filing limit (Luật KN Art. 9), recorded before the acceptance checks it.
  filingObstacle: ["received", "classified"],
};

const everyone = ["leader", "officer", "inspector"] as const;

/** The workflow's answer for an account holding these roles: the table's facts, then the step's roles (policies/cases.ts). */
const refusalOf = (action: CaseAction, facts: StepFacts, roles: readonly Role[]) => casePolicy.stepRefusal({ roles }, action, facts);

/** Who takes each step, written out apart from the policy's table (legal-rules notes, "Case life"). */
const takenBy: Record<CaseAction, readonly Role[]> = {
  classify: ["officer", "inspector", "leader"],
  accept: ["leader", "officer"],
  reject: ["leader", "officer"],
  guide: ["officer", "inspector", "leader"],
  archive: ["officer", "inspector", "leader"],
  forward: ["officer", "inspector", "leader"],
  startVerification: ["inspector", "leader"],
  extend: ["leader"],
  suspend: ["leader"],
  resume: ["leader"],
  terminate: ["leader"],
  withdraw: ["officer", "inspector", "leader"],
  conclude: ["leader"],
  publish: ["leader", "officer"],
  enforce: ["inspector", "leader"],
  close: ["leader", "officer"],
  secondRound: ["officer", "leader"],
  refile: ["officer", "leader"],
  dialogue: ["officer", "inspector", "leader"],
  filingObstacle: ["officer", "inspector", "leader"],
  notify: ["officer", "inspector", "leader"],
};

describe("case workflow", () => {
  it("allows exactly the listed steps from each state and refuses all others with INVALID_TRANSITION", () => {
    for (const action of caseActions) {
      for (const state of caseStates) {
        const kind = action === "extend" || action === "refile" ? "denunciation" : "complaint";
        const refusal = refusalOf(action, { state, kind, round: 1 }, everyone);
        expect(refusal, `${action} from ${state}`).toBe(allowed[action].includes(state) ? null : "INVALID_TRANSITION");
      }
    }
  });

  it("keeps extensions to denunciations and second rounds to complaints, once", () => {
    expect(refusalOf("extend", { state: "verifying", kind: "complaint", round: 1 }, everyone)).toBe("NOT_FOR_THIS_KIND");
    expect(refusalOf("secondRound", { state: "concluded", kind: "denunciation", round: 1 }, everyone)).toBe("NOT_FOR_THIS_KIND");
    expect(refusalOf("refile", { state: "concluded", kind: "complaint", round: 1 }, everyone)).toBe("NOT_FOR_THIS_KIND");
    expect(refusalOf("secondRound", { state: "concluded", kind: "complaint", round: 2 }, everyone)).toBe("SECOND_ROUND_ONLY_ONCE");
  });

  it("refuses a round-2 decision until the dialogue with the complainant is recorded (Luật KN Art. 39)", () => {
    expect(refusalOf("conclude", { state: "verifying", kind: "complaint", round: 2 }, everyone)).toBe("DIALOGUE_REQUIRED");
    expect(refusalOf("conclude", { state: "verifying", kind: "complaint", round: 2, dialogueHeld: false }, everyone)).toBe("DIALOGUE_REQUIRED");
    expect(refusalOf("conclude", { state: "verifying", kind: "complaint", round: 2, dialogueHeld: true }, everyone)).toBeNull();
    // Round 1 and denunciations decide without one.
    expect(refusalOf("conclude", { state: "verifying", kind: "complaint", round: 1 }, everyone)).toBeNull();
    expect(refusalOf("conclude", { state: "verifying", kind: "denunciation", round: 1 }, everyone)).toBeNull();
    expect(refusalOf("dialogue", { state: "verifying", kind: "denunciation", round: 1 }, everyone)).toBe("NOT_FOR_THIS_KIND");
  });

  it("lets each step be taken by exactly its roles, and says INVALID_TRANSITION before FORBIDDEN", () => {
    for (const action of caseActions) {
      const state = allowed[action][0]!;
      const kind = action === "extend" || action === "refile" ? "denunciation" : "complaint";
      for (const role of allRoles) {
        const refusal = refusalOf(action, { state, kind, round: 1, dialogueHeld: true }, [role]);
        expect(refusal, `${action} by ${role}`).toBe(takenBy[action].includes(role) ? null : "FORBIDDEN");
      }
      const wrongState = caseStates.find((other) => !allowed[action].includes(other))!;
      expect(refusalOf(action, { state: wrongState, kind, round: 1 }, ["viewer"])).toBe("INVALID_TRANSITION");
    }
  });

  it("reserves decisions to the roles that take them", () => {
    expect(refusalOf("conclude", { state: "verifying", kind: "complaint", round: 1 }, ["officer", "inspector"])).toBe("FORBIDDEN");
    expect(refusalOf("classify", { state: "received", kind: null, round: 1 }, ["viewer", "site", "admin"])).toBe("FORBIDDEN");
    expect(refusalOf("accept", { state: "classified", kind: "complaint", round: 1 }, ["officer"])).toBeNull();
  });
});

describe("history hash chain", () => {
  const build = (count: number): StoredEvent[] => {
    let previousHash = GENESIS;
    return Array.from({ length: count }, (_, index) => {
      const content = { caseId: "c1", sequence: index + 1, at: `2026-03-0${index + 1}T00:00:00.000Z`, actorId: "u1", action: `a${index}`, fromState: null, toState: "received", reason: null, data: JSON.stringify({ b: 1, a: [index] }) };
      const hash = eventHash(previousHash, content);
      const event = { ...content, id: `e${index + 1}`, previousHash, hash };
      previousHash = hash;
      return event;
    });
  };

  it("verifies an untouched history", () => {
    expect(verifyChain(build(4))).toEqual({ ok: true, events: 4 });
  });

  it("points at the first edited, removed or reordered event", () => {
    const edited = build(4);
    edited[2] = { ...edited[2]!, reason: "changed" };
    expect(verifyChain(edited)).toMatchObject({ ok: false, brokenAt: { sequence: 3 }, problem: "hash mismatch" });
    const removed = build(4).filter((event) => event.sequence !== 2);
    expect(verifyChain(removed)).toMatchObject({ ok: false, brokenAt: { sequence: 3 }, problem: "sequence gap" });
    const swapped = build(3);
    const [first, second] = [swapped[0]!, swapped[1]!];
    expect(verifyChain([{ ...second, sequence: 1 }, { ...first, sequence: 2 }, swapped[2]!])).toMatchObject({ ok: false, brokenAt: { sequence: 1 }, problem: "link mismatch" });
  });

  it("hashes content independently of key order", () => {
    const [event] = build(1);
    const { id: _id, previousHash: _p, hash, ...content } = event!;
    const reordered = Object.fromEntries(Object.entries(content).reverse()) as typeof content;
    expect(eventHash(GENESIS, reordered)).toBe(hash);
  });
});
