export interface HttpResult<T = unknown> {
  status: number;
  body: T;
  /** The refresh cookie's value when the response set one ("" when it was cleared). */
  refreshCookie: string | undefined;
  setCookie: string[];
}

/** JSON over fetch against the test server, with the refresh cookie handled explicitly. */
export async function http<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; rawBody?: string; token?: string; refreshCookie?: string; lang?: string } = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { "accept-language": options.lang ?? "en" };
  if (options.body !== undefined || options.rawBody !== undefined) headers["content-type"] = "application/json";
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.refreshCookie) headers.cookie = `cau_noi_refresh=${options.refreshCookie}`;
  const response = await fetch(`${baseUrl}/api${path}`, {
    method,
    headers,
    ...(options.rawBody !== undefined ? { body: options.rawBody } : options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const setCookie = response.headers.getSetCookie();
  const refresh = setCookie.find((cookie) => cookie.startsWith("cau_noi_refresh="));
  const text = await response.text();
  return {
    status: response.status,
    body: (text ? JSON.parse(text) : undefined) as T,
    refreshCookie: refresh ? decodeURIComponent(refresh.split(";")[0]!.slice("cau_noi_refresh=".length)) : undefined,
    setCookie,
  };
}
