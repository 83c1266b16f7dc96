/** Registered ALink field maps, by name. Adding a product: one file in this folder and one line here. */
import aliyunSmokeDetector from './aliyun-smoke-detector.ts';
import type { FieldMap } from './define.ts';

export const FIELD_MAPS: readonly FieldMap[] = [aliyunSmokeDetector];

const byName = new Map(FIELD_MAPS.map((m) => [m.name, m]));

export function findFieldMap(name: string | null | undefined): FieldMap | undefined {
  return name ? byName.get(name) : undefined;
}

export type { FieldMap, PropertyMapping } from './define.ts';
