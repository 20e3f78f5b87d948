import { describe, expect, it } from "vitest";
import { uploadAddressKey } from "../../signaling/api/reception/public";

describe("uploadAddressKey (whose daily upload allowance a citizen's file counts against)", () => {
  it("is the IPv4 address itself, also when IPv4-mapped", () => {
    expect(uploadAddressKey("203.0.113.7")).toBe("203.0.113.7");
    expect(uploadAddressKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
  });

  it("is the /64 network of an IPv6 address, however it is written", () => {
    const key = "2001:db8:aa:1::/64";
    expect(uploadAddressKey("2001:db8:aa:1::1")).toBe(key);
    expect(uploadAddressKey("2001:0db8:00aa:0001:ffff:1:2:3")).toBe(key);
    expect(uploadAddressKey("2001:DB8:AA:1:0:0:0:9%eth0")).toBe(key);
    expect(uploadAddressKey("2001:db8:aa:2::1")).not.toBe(key);
    expect(uploadAddressKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(uploadAddressKey("::1")).toBe("0:0:0:0::/64");
  });
});
