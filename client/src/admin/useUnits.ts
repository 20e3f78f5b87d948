import { useCallback, useEffect, useState } from "react";
import type { UnitDto } from "../../../signaling/protocol";
import { ApiError } from "../api/http";
import { useSession } from "../session";

/** The unit list from the API, reloadable after a change. */
export function useUnits(includeInactive: boolean) {
  const [, session] = useSession();
  const [units, setUnits] = useState<UnitDto[]>([]);
  const [errorCode, setErrorCode] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      const result = await session.request<{ items: UnitDto[] }>("GET", `/units?includeInactive=${includeInactive}`);
      setUnits(result.items);
      setErrorCode(null);
    } catch (error) {
      setErrorCode(error instanceof ApiError ? error.code : "INTERNAL");
    }
  }, [session, includeInactive]);
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- a fetch: state is set when the response arrives
    void reload();
  }, [reload]);
  return { units, errorCode, reload };
}
