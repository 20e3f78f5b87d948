import { useMemo } from "react";
import { useSession } from "../session";
import { subtreeIds } from "./unitTree";
import { useUnits } from "./useUnits";

/**
 * The caller's unit and those below it, depths counted from the caller's unit: where they may create
 * accounts, cases, reception days. The server checks each choice again.
 */
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
