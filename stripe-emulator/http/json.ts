// Deep copies through JSON: what a client would see on the wire. Used for event
// snapshots (structuredClone would keep SDK Decimal instances without their toJSON).
export function jsonClone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}
