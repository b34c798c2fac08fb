import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// lib/'s import graph has no cycle, file by file and folder by folder (a folder being a top-level
// folder of lib/, or a sub-folder of lib/payments). The lint rule (eslint.config.mjs) keeps arrows
// pointing down between layers; this catches a cycle inside one folder too. Tests are left out: a
// test may import whatever it checks.

const ROOT = path.resolve(import.meta.dirname, "..");

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [full] : [];
  });
}

function resolveImport(from: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith("@/")) base = path.join(ROOT, specifier.slice(2));
  else if (specifier.startsWith(".")) base = path.resolve(path.dirname(from), specifier);
  else return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts"), path.join(base, "index.tsx")]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this candidate
    }
  }
  return null;
}

/** Every import, export-from and import() of a file, with the TypeScript parser (type-only imports too: they still tie the modules). */
function importsOf(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const specifiers: string[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteral(argument)) specifiers.push(argument.text);
    }
    node.forEachChild(visit);
  };
  visit(source);
  return specifiers;
}

export type Graph = Map<string, Set<string>>;

/** lib/'s import graph, between files inside lib/ (generated code left out). */
export function libImportGraph(libFolder = path.join(ROOT, "lib")): Graph {
  const graph: Graph = new Map();
  for (const file of sourceFiles(libFolder)) {
    const targets = new Set<string>();
    for (const specifier of importsOf(file)) {
      const target = resolveImport(file, specifier);
      if (target && target.startsWith(libFolder + path.sep) && !target.includes(`${path.sep}generated${path.sep}`)) targets.add(target);
    }
    graph.set(file, targets);
  }
  return graph;
}

/** The folder a lib/ file belongs to: its top-level folder, or lib/payments/<sub-folder>. */
export function folderOf(file: string, libFolder = path.join(ROOT, "lib")): string {
  const parts = path.relative(libFolder, file).split(path.sep);
  return parts[0] === "payments" && parts.length > 2 ? `payments/${parts[1]}` : (parts[0] ?? "");
}

export function folderGraph(graph: Graph): Graph {
  const folders: Graph = new Map();
  for (const [file, targets] of graph) {
    const from = folderOf(file);
    const edges = folders.get(from) ?? new Set<string>();
    for (const target of targets) if (folderOf(target) !== from) edges.add(folderOf(target));
    folders.set(from, edges);
  }
  return folders;
}

/** The cycles of a graph: its strongly connected components of more than one node (Tarjan), each sorted. */
export function cyclesOf(graph: Graph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const connect = (node: string) => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        connect(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || graph.get(node)?.has(node)) cycles.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) connect(node);
  return cycles;
}

describe("lib/'s import graph", () => {
  const graph = libImportGraph();
  const relative = (cycle: string[]) => cycle.map((file) => path.relative(ROOT, file));

  it("is read from the whole of lib/", () => {
    expect(graph.size).toBeGreaterThan(150);
    expect([...graph.values()].reduce((sum, targets) => sum + targets.size, 0)).toBeGreaterThan(300);
  });

  it("has no cycle between files", () => {
    expect(cyclesOf(graph).map(relative)).toEqual([]);
  });

  it("has no cycle between folders", () => {
    expect(cyclesOf(folderGraph(graph))).toEqual([]);
  });

  it("finds a cycle when there is one", () => {
    const looped: Graph = new Map([
      ["a", new Set(["b"])],
      ["b", new Set(["c"])],
      ["c", new Set(["a"])],
      ["d", new Set(["a"])],
    ]);
    expect(cyclesOf(looped)).toEqual([["a", "b", "c"]]);
  });
});
