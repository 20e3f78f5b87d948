/**
 * Downloads a file that needs the session's bearer token (so a plain link cannot fetch it) by handing the
 * bytes to the browser as a named download. Resolves null when saved, else the server's error code (or
 * CONNECTION_FAILED), so the page can say why (e.g. EXPORT_TOO_LARGE: narrow the filters).
 */
export async function downloadFile(url: string, token: string | null, fileName: string): Promise<string | null> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { Authorization: `Bearer ${token ?? ""}` } });
  } catch {
    return "CONNECTION_FAILED";
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { code?: string } } | null;
    return body?.error?.code ?? "INTERNAL";
  }
  const objectUrl = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = objectUrl;
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(objectUrl);
  return null;
}

/** As downloadFile, answering only whether the file was saved. */
export async function downloadWithToken(url: string, token: string | null, fileName: string): Promise<boolean> {
  return (await downloadFile(url, token, fileName)) === null;
}
