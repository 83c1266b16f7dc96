/**
 * A field map declares how one vendor product's ALink property and event names map onto a kind's
 * canonical fields and events. Data, not code: adding a product is one file.
 */
export interface PropertyMapping {
  /** The canonical telemetry field the property's value goes to. */
  field?: string;
  /** Or: canonical events raised by particular values (e.g. SmokeSensorState 1 → alarm). */
  events?: Readonly<Record<string, string>>;
  /** Multiply the value (units), e.g. 0.1 for a value reported in tenths. */
  scale?: number;
}

export interface FieldMap {
  name: string;
  kind: string;
  description: string;
  properties: Readonly<Record<string, PropertyMapping>>;
  /** ALink event identifiers → canonical events. */
  events: Readonly<Record<string, string>>;
}

export function defineFieldMap(map: FieldMap): FieldMap {
  return map;
}
