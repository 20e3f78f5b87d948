/** `<option>`s for a unit tree, indented by depth so the hierarchy reads in a plain select. */
export function UnitOptions({ units }: { units: readonly { id: string; name: string; depth: number }[] }) {
  return (
    <>
      {units.map((unit) => (
        <option key={unit.id} value={unit.id}>
          {"— ".repeat(unit.depth)}
          {unit.name}
        </option>
      ))}
    </>
  );
}
