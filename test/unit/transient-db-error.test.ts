import { describe, expect, it } from "vitest";
import { isTransientDbError, retryTransient } from "../../signaling/db/transient";

describe("which database refusals are worth trying again", () => {
  it("knows SQLite's lock and PostgreSQL's deadlock and serialization aborts, as each layer reports them", () => {
    // As seen: libsql's error, Prisma's P1008 over it, adapter-pg's DriverAdapterError for 40P01, Prisma's P2034.
    expect(isTransientDbError({ code: "SQLITE_BUSY" })).toBe(true);
    expect(isTransientDbError({ code: "SQLITE_BUSY_SNAPSHOT" })).toBe(true);
    expect(isTransientDbError({ code: "P1008", meta: {} })).toBe(true);
    expect(isTransientDbError({ name: "DriverAdapterError", message: "deadlock detected", cause: { kind: "postgres", originalCode: "40P01" } })).toBe(true);
    expect(isTransientDbError({ code: "P2010", meta: { driverAdapterError: { cause: { originalCode: "40001" } } } })).toBe(true);
    expect(isTransientDbError({ code: "P2034" })).toBe(true);
  });

  it("repeats nothing else", () => {
    for (const error of [{ code: "P2002" }, { code: "SQLITE_CONSTRAINT_UNIQUE" }, { cause: { originalCode: "23505" } }, new Error("boom"), null, "P1008"]) {
      expect(isTransientDbError(error)).toBe(false);
    }
    const loop: { cause?: unknown } = {};
    loop.cause = loop;
    expect(isTransientDbError(loop)).toBe(false);
  });

  it("tries a refused write again after each pause, then gives up with the last refusal", async () => {
    let calls = 0;
    const refusal = { code: "SQLITE_BUSY" };
    await expect(retryTransient(async () => ++calls < 3 ? Promise.reject(refusal) : "stored", { pausesMs: [1, 1, 1] })).resolves.toBe("stored");
    expect(calls).toBe(3);
    calls = 0;
    await expect(retryTransient(() => (calls++, Promise.reject(refusal)), { pausesMs: [1, 1] })).rejects.toBe(refusal);
    expect(calls).toBe(3);
    calls = 0;
    await expect(retryTransient(() => (calls++, Promise.reject({ code: "P2002" })), { pausesMs: [1, 1] })).rejects.toEqual({ code: "P2002" });
    expect(calls).toBe(1);
  });
});
