/** Materialised paths: "/<root id>/<child id>/…/<unit id>/". Pure functions, no I/O. */

export const rootPath = (id: string): string => `/${id}/`;

export const childPath = (parentPath: string, id: string): string => `${parentPath}${id}/`;

/** The path of a unit (or a descendant) after its subtree moved from `fromPrefix` to `toPrefix`. */
export function rebasePath(path: string, fromPrefix: string, toPrefix: string): string {
  if (!path.startsWith(fromPrefix)) throw new RangeError(`${path} is not under ${fromPrefix}`);
  return toPrefix + path.slice(fromPrefix.length);
}
