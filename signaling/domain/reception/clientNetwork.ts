/**
 * A client address cut to its network: IPv4 to /24, IPv6 to /48. Enough to notice a flood from one
 * place, not enough to single out a person (an address is personal data, Luật 91/2025/QH15).
 */
export function clientNetwork(ip: string): string {
  const mapped = ip.startsWith("::ffff:") ? ip.slice("::ffff:".length) : ip;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/.exec(mapped);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  if (mapped.includes(":")) {
    const [head] = mapped.split("::");
    const groups = (head ?? "").split(":").filter(Boolean).slice(0, 3);
    while (groups.length < 3) groups.push("0");
    return `${groups.join(":")}::/48`;
  }
  return "unknown";
}
