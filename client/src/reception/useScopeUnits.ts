import { useMemo } from "react";
import { subtreeIds } from "../admin/unitTree";
import { useUnits } from "../admin/useUnits";
import { useSession } from "../session";

/** The caller's unit and those below it: where they may work on reception. */
export function useScopeUnits() {
  const [auth] = useSession();
  const { units } = useUnits(false);
  const ownId = auth.user?.unit.id ?? "";
  return useMemo(() => {
    const ids = subtreeIds(units, ownId);
    const inScope = units.filter((unit) => ids.has(unit.id));
    const base = inScope[0]?.depth ?? 0;
    return { ownId, units: inScope.map((unit) => ({ ...unit, depth: unit.depth - base })) };
  }, [units, ownId]);
}

export const receivesCitizens = (roles: readonly string[]) => roles.includes("officer") || roles.includes("leader");
