/** Where a certificate stands at a moment: inside its validity period, before it, or after it. */
export type Validity = "valid" | "expired" | "notYetValid";

export function validityAt(period: { notBefore: Date; notAfter: Date }, at: Date): Validity {
  if (at.getTime() < period.notBefore.getTime()) return "notYetValid";
  if (at.getTime() > period.notAfter.getTime()) return "expired";
  return "valid";
}
