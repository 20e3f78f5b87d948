import type { UnitDto } from "../../../signaling/protocol";

export interface UnitNode extends UnitDto {
  children: UnitNode[];
}

/** Nests the flat, path-ordered list the API returns. */
export function buildTree(units: readonly UnitDto[]): UnitNode[] {
  const nodes = new Map(units.map((unit) => [unit.id, { ...unit, children: [] as UnitNode[] }]));
  const roots: UnitNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** Ids of a unit and everything below it: the scope an admin of that unit manages. */
export function subtreeIds(units: readonly UnitDto[], rootId: string): Set<string> {
  const ids = new Set([rootId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const unit of units) {
      if (unit.parentId && ids.has(unit.parentId) && !ids.has(unit.id)) {
        ids.add(unit.id);
        grew = true;
      }
    }
  }
  return ids;
}
