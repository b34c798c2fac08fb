import { readFileSync } from "node:fs";
import path from "node:path";
import type { StatementStat } from "./database-activity";
import { formatNumber, renderTable } from "./table";

// Reading what --cpu-prof wrote (V8's .cpuprofile JSON: a call tree of nodes, and samples with the
// time since the previous one) and what pg_stat_statements counted, for the profile summary.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  functionName: string;
  location: string;
  selfMs: number;
}

function isCpuProfile(value: unknown): value is CpuProfile {
  return typeof value === "object" && value !== null && "nodes" in value && "samples" in value && "timeDeltas" in value;
}

/** Self time per function (summed over every call-tree node of that function), largest first. */
export function selfTimes(profileFile: string): { functions: SelfTime[]; totalMs: number; idleMs: number } {
  const parsed: unknown = JSON.parse(readFileSync(profileFile, "utf8"));
  if (!isCpuProfile(parsed)) throw new Error(`${profileFile} is not a V8 CPU profile`);
  const nodes = new Map(parsed.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  parsed.samples.forEach((nodeId, index) => selfUs.set(nodeId, (selfUs.get(nodeId) ?? 0) + (parsed.timeDeltas[index] ?? 0)));
  const byFunction = new Map<string, SelfTime>();
  let totalMs = 0;
  let idleMs = 0;
  for (const [nodeId, us] of selfUs) {
    const frame = nodes.get(nodeId)?.callFrame;
    if (!frame) continue;
    const ms = us / 1000;
    if (frame.functionName === "(idle)") {
      idleMs += ms;
      continue;
    }
    totalMs += ms;
    const file = frame.url.replace(/^file:\/\//, "");
    const location = file ? `${path.relative(process.cwd(), file) || file}:${frame.lineNumber + 1}` : "";
    const key = `${frame.functionName}@${location}`;
    const entry = byFunction.get(key) ?? { functionName: frame.functionName || "(anonymous)", location, selfMs: 0 };
    entry.selfMs += ms;
    byFunction.set(key, entry);
  }
  return { functions: [...byFunction.values()].sort((a, b) => b.selfMs - a.selfMs), totalMs, idleMs };
}

export function renderSelfTimes(profile: ReturnType<typeof selfTimes>, top: number): string {
  const rows = profile.functions.slice(0, top).map((entry) => [
    entry.functionName.slice(0, 48),
    formatNumber(entry.selfMs, 0),
    `${formatNumber((100 * entry.selfMs) / profile.totalMs, 1)}%`,
    entry.location.length > 90 ? `…${entry.location.slice(-89)}` : entry.location,
  ]);
  return `${renderTable(["function", "self ms", "of busy", "where"], rows)}\n(busy ${formatNumber(profile.totalMs)} ms, idle ${formatNumber(profile.idleMs)} ms over the server's whole life, start-up and warm-up included)`;
}

/** Statements summed over phases (same query text), largest total execution time first. */
export function topStatements(stats: StatementStat[], top: number): StatementStat[] {
  const merged = new Map<string, StatementStat>();
  for (const stat of stats) {
    const entry = merged.get(stat.query) ?? { query: stat.query, calls: 0, totalExecMs: 0 };
    entry.calls += stat.calls;
    entry.totalExecMs += stat.totalExecMs;
    merged.set(stat.query, entry);
  }
  return [...merged.values()].sort((a, b) => b.totalExecMs - a.totalExecMs).slice(0, top);
}

export function renderTopStatements(top: StatementStat[]): string {
  const rows = top.map((stat) => {
    const query = stat.query.replace(/\s+/g, " ").trim();
    return [query.length > 150 ? `${query.slice(0, 149)}…` : query, formatNumber(stat.calls), formatNumber(stat.totalExecMs, 0), formatNumber(stat.totalExecMs / stat.calls, 3)];
  });
  return renderTable(["statement", "calls", "total ms", "mean ms"], rows);
}
