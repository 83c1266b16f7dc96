/**
 * The community schematic: positions in the registry's coordinates (contract `Position`, 0–10 000 on
 * each axis; the control room draws a building about 100 wide there), from pointers and keys. The view
 * fits the buildings with room around them, or shows the whole 0–10 000 square.
 */
import type { Building } from '../../../contract/index.ts';

export type Position = NonNullable<Building['position']>;

export const EXTENT = 10_000;
/** Arrow keys move a building this far; with Shift ten times as far. */
export const STEP = 10;
/** A building as the control room draws it, in registry units. */
export const BUILDING_WIDTH = 100;
/** The smallest view: room for a few buildings around one. */
export const MIN_VIEW = 800;

/** The part of the registry's square a schematic shows. */
export interface View {
  x: number;
  y: number;
  size: number;
}

export const WHOLE_AREA: View = { x: 0, y: 0, size: EXTENT };

/** A square around the given positions with room to move (half its size again), within the 0–10 000 square. */
export function fitView(positions: readonly Position[]): View {
  if (!positions.length) return { x: 0, y: 0, size: MIN_VIEW };
  const xs = positions.map((p) => p.x);
  const ys = positions.map((p) => p.y);
  const span = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
  const size = Math.min(EXTENT, Math.max(MIN_VIEW, Math.ceil((span + BUILDING_WIDTH * 2) * 1.5)));
  const centre = (values: number[]) => (Math.min(...values) + Math.max(...values)) / 2;
  const start = (c: number) => Math.round(Math.min(EXTENT - size, Math.max(0, c - size / 2)));
  return { x: start(centre(xs)), y: start(centre(ys)), size };
}

export function contains(view: View, p: Position): boolean {
  return p.x >= view.x && p.x <= view.x + view.size && p.y >= view.y && p.y <= view.y + view.size;
}

export function clampPosition(position: Position): Position {
  const clamp = (v: number) => Math.min(EXTENT, Math.max(0, Math.round(Number.isFinite(v) ? v : 0)));
  return { x: clamp(position.x), y: clamp(position.y) };
}

/** Where a pointer at (clientX, clientY) falls on a schematic showing `view`, drawn in `rect`. */
export function pointerToPosition(clientX: number, clientY: number, rect: Pick<DOMRect, 'left' | 'top' | 'width' | 'height'>, view: View = WHOLE_AREA): Position {
  if (rect.width <= 0 || rect.height <= 0) return { x: view.x, y: view.y };
  return clampPosition({ x: view.x + ((clientX - rect.left) / rect.width) * view.size, y: view.y + ((clientY - rect.top) / rect.height) * view.size });
}

const MOVES: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

/** The position after an arrow key, or null for any other key. */
export function nudge(position: Position, key: string, big = false): Position | null {
  const move = MOVES[key];
  if (!move) return null;
  const step = big ? STEP * 10 : STEP;
  return clampPosition({ x: position.x + move[0] * step, y: position.y + move[1] * step });
}

/** A number typed into an x or y field: a whole number within the schematic, or null when it is not one. */
export function parseCoordinate(text: string): number | null {
  if (!/^\s*\d+(\.\d+)?\s*$/.test(text)) return null;
  const value = Math.round(Number(text));
  return value >= 0 && value <= EXTENT ? value : null;
}
