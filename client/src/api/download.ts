import { SIGNATURE_HEADER, type SignatureOutcome, signatureOutcomes } from "../../../signaling/protocol";

/**
 * Downloads a file that needs the session's bearer token (so a plain link cannot fetch it) by handing the
 * bytes to the browser as a named download. Resolves null when saved, else the server's error code (or
 * CONNECTION_FAILED), so the page can say why (e.g. EXPORT_TOO_LARGE: narrow the filters).
 */
export async function downloadFile(url: string, token: string | null, fileName: string): Promise<string | null> {
  return (await downloadIssued(url, token, fileName)).error;
}

/**
 * As downloadFile, also answering whether an issued PDF carries the unit's digital signature (the
 * server's X-Document-Signature header: "signed", or why not), so the page can say so.
 */
export async function downloadIssued(url: string, token: string | null, fileName: string): Promise<{ error: string | null; signature: SignatureOutcome | null }> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { Authorization: `Bearer ${token ?? ""}` } });
  } catch {
    return { error: "CONNECTION_FAILED", signature: null };
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { code?: string } } | null;
    return { error: body?.error?.code ?? "INTERNAL", signature: null };
  }
  const header = response.headers.get(SIGNATURE_HEADER);
  const signature = signatureOutcomes.find((outcome) => outcome === header) ?? null;
  const objectUrl = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = objectUrl;
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(objectUrl);
  return { error: null, signature };
}

/** As downloadFile, answering only whether the file was saved. */
export async function downloadWithToken(url: string, token: string | null, fileName: string): Promise<boolean> {
  return (await downloadFile(url, token, fileName)) === null;
}
