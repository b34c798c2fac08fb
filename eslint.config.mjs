import { readdirSync } from "node:fs";
import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

// lib/'s layers, bottom first (docs/architecture.md). A folder may import its own layer's files and
// anything in a layer below it; an import upward, or sideways into another folder of the same layer,
// fails `npm run lint`. Within payments the sub-folders have their own order, the same way.
const LAYERS = [
  ["lib/generated"],
  ["lib/core"],
  ["lib/stripe", "lib/email"],
  ["lib/events"],
  ["lib/ledger"],
  ["lib/validations"],
  ["lib/accounts"],
  ["lib/billing"],
  ["lib/payments/purchases", "lib/payments/receipts", "lib/payments/recharges", "lib/payments/topups"],
  ["lib/usage"],
  ["lib/stripe-events"],
  ["lib/admin"],
  ["lib/reconcile"],
  ["lib/actions"],
  ["lib/tooling"],
];
// The payments folder's own order: purchases < receipts < recharges < top-ups.
const PAYMENTS_ORDER = ["lib/payments/purchases", "lib/payments/receipts", "lib/payments/recharges", "lib/payments/topups"];

// Modules entered only through their index.ts (server code) or labels.ts (plain words and constants
// that client components and tools may import). lib/core, lib/validations, lib/actions and
// lib/tooling are sets of separate entry files, each imported on its own.
const MODULES = [
  "lib/accounts",
  "lib/billing",
  "lib/ledger",
  "lib/email",
  "lib/stripe",
  "lib/events",
  "lib/stripe-events",
  ...PAYMENTS_ORDER,
  "lib/usage",
  "lib/admin",
  "lib/reconcile",
];

const rel = (folder) => `./${folder}`;
const layerZones = LAYERS.flatMap((layer, index) => {
  const above = LAYERS.slice(index + 1).flat();
  return layer.map((folder) => {
    const sideways = layer.filter((other) => other !== folder && !(PAYMENTS_ORDER.includes(folder) && PAYMENTS_ORDER.includes(other)));
    const laterPayments = PAYMENTS_ORDER.includes(folder) ? PAYMENTS_ORDER.slice(PAYMENTS_ORDER.indexOf(folder) + 1) : [];
    return {
      target: rel(folder),
      from: [...above, ...sideways, ...laterPayments].map(rel),
      message: `Layers: ${folder} may import only its own layer's files and layers below it (docs/architecture.md).`,
    };
  });
});

const everythingOutside = (module) => {
  const lib = readdirSync("lib", { withFileTypes: true })
    // lib/tooling (seed data, test hooks) serves scripts and tests, which may reach inside.
    .filter((entry) => entry.isDirectory() && entry.name !== "payments" && entry.name !== "tooling")
    .map((entry) => `lib/${entry.name}`)
    .concat(PAYMENTS_ORDER);
  return ["app", "components", ...lib.filter((folder) => folder !== module)].map(rel);
};
const entryZones = MODULES.map((module) => ({
  target: everythingOutside(module),
  from: rel(module),
  except: ["./index.ts", "./labels.ts"],
  message: `Enter ${module} through its index.ts (or labels.ts for plain words), not past it.`,
}));

const PRODUCTION = ["lib/**/*.{ts,tsx}", "app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "proxy.ts", "instrumentation.ts"];
const TESTS = ["**/*.test.ts", "**/*.test.tsx"];

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    ignores: ["node_modules/**", ".next/**", "lib/generated/**", "test-results/**", "playwright-report/**", ".data/**", "next-env.d.ts"],
  },
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/ban-ts-comment": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Production code: layers only point down, modules are entered through their index, and no test
    // scaffolding comes in. Tests may reach inside what they test.
    files: PRODUCTION,
    ignores: TESTS,
    rules: {
      "import/no-restricted-paths": [
        "error",
        {
          zones: [
            ...layerZones,
            ...entryZones,
            {
              target: ["./lib", "./app", "./components", "./proxy.ts", "./instrumentation.ts"],
              from: ["./test", "./scripts", "./e2e", "./bench", "./lib/tooling"],
              message: "Production code must not import test scaffolding (test/, scripts/, e2e/, bench/, lib/tooling).",
            },
            {
              target: "./lib/actions",
              from: ["./lib/core/db.ts", "./lib/core/prisma.ts"],
              message: "A server action validates, calls a domain function and redirects: queries live beside their domain.",
            },
            {
              target: "./components",
              // Types and enums come from the generated browser entry (lib/generated/prisma/browser.ts).
              from: ["./lib/core/db.ts", "./lib/core/prisma.ts", "./lib/generated/prisma/client.ts", "./lib/generated/prisma/models", "./lib/generated/prisma/internal"],
              message: "Components render what they are given: fetch through a query function in lib/, never the database client.",
            },
          ],
        },
      ],
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["**/*.test", "**/*.test.ts", "**/*.test.tsx"], message: "Production code must not import a test file." },
          ],
        },
      ],
    },
  },
  {
    // The e2e server's test-hook route is the one production file that may switch on test hooks.
    files: ["app/api/test-hooks/**/*.ts"],
    rules: { "import/no-restricted-paths": "off" },
  },
  {
    files: ["components/**/*.{ts,tsx}"],
    ignores: TESTS,
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "pg", message: "Components never talk to the database." }],
          patterns: [
            { group: ["@prisma/*"], message: "Components never talk to the database." },
            { group: ["**/*.test", "**/*.test.ts", "**/*.test.tsx"], message: "Production code must not import a test file." },
          ],
        },
      ],
    },
  },
];

export default config;
