/**
 * Whether a reception session may be recorded. Recording needs the citizen's consent, and a session about
 * a denunciation is not recorded by default: the recording would expose the denouncer (legal-rules notes,
 * "Confidentiality": identity protected, recordings must not expose denouncers).
 */
export type RecordingRefusal = "CONSENT_REQUIRED" | "RECORDING_NOT_ALLOWED";

export function recordingRefusal(
  session: { consentGiven: boolean | null; petitionKind: string | null },
  policy: { recordDenunciations: boolean } = { recordDenunciations: false },
): RecordingRefusal | null {
  if (session.petitionKind === "denunciation" && !policy.recordDenunciations) return "RECORDING_NOT_ALLOWED";
  if (session.consentGiven !== true) return "CONSENT_REQUIRED";
  return null;
}
