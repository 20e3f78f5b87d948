import { describe, expect, it } from "vitest";
import { malformedTextPath } from "../../signaling/malformedText";

describe("malformed text at the boundary", () => {
  it("accepts Vietnamese text, combining marks and emoji", () => {
    expect(malformedTextPath({ name: "Nguyễn Thị Hoà", note: "Tie\u0301ng Vie\u0323t 👍", list: ["đ", "Đ"] })).toBeUndefined();
  });

  it("names the field holding a lone surrogate or U+0000 (PostgreSQL refuses NUL in text: a 500 before this)", () => {
    expect(malformedTextPath({ a: { b: "x\uD800y" } })).toBe("a.b");
    expect(malformedTextPath({ parties: [{ name: "Tran\u0000" }] })).toBe("parties.0.name");
    expect(malformedTextPath({ ["k\u0000"]: "v" })).toBe("k\u0000");
  });
});
