/**
 * Downloads a file that needs the session's bearer token (so a plain link cannot fetch it) by handing the
 * bytes to the browser as a named download. Resolves false when the server refused.
 */
export async function downloadWithToken(url: string, token: string | null, fileName: string): Promise<boolean> {
  const response = await fetch(url, { headers: { Authorization: `Bearer ${token ?? ""}` } });
  if (!response.ok) return false;
  const objectUrl = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = objectUrl;
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(objectUrl);
  return true;
}
