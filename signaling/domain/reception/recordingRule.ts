/**
 * Whether a reception session may be recorded. Recording needs the citizen's consent, and a session about
 * a denunciation is not recorded by default: the recording would expose the denouncer (legal-rules notes,
 * "Confidentiality": identity protected, recordings must not expose denouncers). What the visit is about
 * must be known before the first second is recorded — the booking's kind, or the kind the officer declared
 * with the consent — since a book entry written afterwards comes too late to keep a denouncer off the file.
 * `petitionKind` null means nobody has said yet.
 */
export type RecordingRefusal = "CONSENT_REQUIRED" | "RECORDING_NOT_ALLOWED" | "RECORDING_KIND_UNDECLARED";

/** The denunciation rule alone, for what a citizen is told before consenting ("this session will be recorded"). */
export const kindMayBeRecorded = (petitionKind: string | null, policy: { recordDenunciations: boolean } = { recordDenunciations: false }): boolean =>
  petitionKind !== "denunciation" || policy.recordDenunciations;

export function recordingRefusal(
  session: { consentGiven: boolean | null; petitionKind: string | null },
  policy: { recordDenunciations: boolean } = { recordDenunciations: false },
): RecordingRefusal | null {
  if (!kindMayBeRecorded(session.petitionKind, policy)) return "RECORDING_NOT_ALLOWED";
  if (session.consentGiven !== true) return "CONSENT_REQUIRED";
  if (session.petitionKind === null) return "RECORDING_KIND_UNDECLARED";
  return null;
}
