import { type Dispatch, type SetStateAction, useCallback, useEffect, useState } from "react";
import { useSession } from "../session";
import { ApiError } from "./http";

export interface ApiResource<T> {
  data: T | null;
  errorCode: string | null;
  /** Fetches again (after a change the page made). */
  reload: () => Promise<void>;
  /** Replaces the data with what an action returned, without a round trip. */
  setData: Dispatch<SetStateAction<T | null>>;
}

/** GETs a signed-in resource, again whenever `path` changes; errors become a stable code to show. */
export function useApi<T>(path: string): ApiResource<T> {
  const [, session] = useSession();
  const [data, setData] = useState<T | null>(null);
  const [errorCode, setErrorCode] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      setData(await session.request<T>("GET", path));
      setErrorCode(null);
    } catch (error) {
      setErrorCode(error instanceof ApiError ? error.code : "INTERNAL");
    }
  }, [session, path]);

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- a fetch: state is set when the response arrives
    void reload();
  }, [reload]);

  return { data, errorCode, reload, setData };
}
