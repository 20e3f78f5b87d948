export interface Size {
  width: number;
  height: number;
}

/** A rectangle of the canvas holding one participant's video. */
export interface Cell {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** H.264 with 4:2:0 chroma wants even sizes and offsets. */
function even(value: number): number {
  return Math.max(0, Math.floor(value / 2) * 2);
}

/**
 * Cells for `count` videos on the canvas: 1 fills it, 2 sit side by side, 3–4 make 2×2, 5–6 3×2,
 * 7–9 3×3, and so on (columns = ⌈√n⌉). An incomplete last row is centred, as conference layouts do.
 */
export function gridLayout(count: number, canvas: Size): Cell[] {
  if (count <= 0) return [];
  const columns = Math.ceil(Math.sqrt(count));
  const rows = Math.ceil(count / columns);
  const width = Math.max(2, even(canvas.width / columns));
  const height = Math.max(2, even(canvas.height / rows));
  const top = even((canvas.height - rows * height) / 2);
  const cells: Cell[] = [];
  for (let index = 0; index < count; index++) {
    const row = Math.floor(index / columns);
    const inRow = row === rows - 1 ? count - row * columns : columns;
    const left = even((canvas.width - inRow * width) / 2);
    cells.push({ x: left + (index % columns) * width, y: top + row * height, width, height });
  }
  return cells;
}
