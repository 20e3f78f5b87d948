import type { UnitDto } from "../../../signaling/protocol";
import { useApi } from "../api/useApi";

/** The unit list from the API, reloadable after a change. */
export function useUnits(includeInactive: boolean) {
  const { data, errorCode, reload } = useApi<{ items: UnitDto[] }>(`/units?includeInactive=${includeInactive}`);
  return { units: data?.items ?? [], errorCode, reload };
}
