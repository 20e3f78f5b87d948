import { type UnitDto, unitKindSchema } from "../protocol";

interface UnitRow {
  id: string;
  code: string;
  name: string;
  kind: string;
  parentId: string | null;
  path: string;
  active: boolean;
}

export function presentUnit(unit: UnitRow): UnitDto {
  const kind = unitKindSchema.safeParse(unit.kind);
  return {
    id: unit.id,
    code: unit.code,
    name: unit.name,
    kind: kind.success ? kind.data : "other",
    parentId: unit.parentId,
    active: unit.active,
    depth: unit.path.split("/").filter(Boolean).length - 1,
  };
}
