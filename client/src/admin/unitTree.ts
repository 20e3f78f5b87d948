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

/**
 * The tree cut down to units whose name or code contains `text` (any case, with or without Vietnamese
 * marks), each kept with the units above it so it is still read in its place.
 */
export function matchingTree(roots: readonly UnitNode[], text: string): UnitNode[] {
  const wanted = fold(text.trim());
  if (!wanted) return [...roots];
  const keep = (node: UnitNode): UnitNode | null => {
    const children = node.children.map(keep).filter((child): child is UnitNode => child !== null);
    const matches = fold(node.name).includes(wanted) || fold(node.code).includes(wanted);
    return matches || children.length > 0 ? { ...node, children } : null;
  };
  return roots.map(keep).filter((node): node is UnitNode => node !== null);
}

/** "Xã Đông Tiến" → "xa dong tien": what a search typed without Vietnamese marks still finds. */
function fold(text: string): string {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/gi, "d").toLowerCase();
}
