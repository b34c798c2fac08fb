import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createPrismaClient } from "./db";
import * as enums from "../generated/prisma/enums";
import { migrate, migrationStatus, readMigrationFiles } from "./migrations";

// Prisma scalar types and the PostgreSQL column types each may be stored as.
const COLUMN_TYPES: Record<string, string[]> = {
  String: ["text", "character", "character varying"],
  Int: ["integer"],
  BigInt: ["bigint"],
  Boolean: ["boolean"],
  DateTime: ["timestamp without time zone", "timestamp with time zone"],
  Json: ["jsonb"],
};

// A scalar list (String[]) is a PostgreSQL array, named by its element type ("_text" for text[]).
// The client's runtime model does not say which fields are lists, so the element type is what is compared.
const ARRAY_ELEMENT_TYPES: Record<string, string> = { _text: "text", _varchar: "character varying", _int4: "integer" };
const columnType = (column: { data_type: string; udt_name: string }) =>
  column.data_type === "ARRAY" ? (ARRAY_ELEMENT_TYPES[column.udt_name] ?? column.udt_name) : column.data_type;

const runtimeDataModelSchema = z.object({
  models: z.record(
    z.string(),
    z.object({ fields: z.array(z.object({ name: z.string(), kind: z.string(), type: z.string() })), dbName: z.string().nullable() }),
  ),
});

describe("migrations", () => {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  beforeAll(() => client.connect());
  afterAll(() => client.end());

  it("records every migration in Prisma's _prisma_migrations with its file checksum", async () => {
    const files = await readMigrationFiles();
    const rows = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    for (const [index, row] of rows.rows.entries()) {
      expect(row.checksum).toBe(files[index]?.checksum);
      expect(row.finished_at).not.toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    const status = await migrationStatus(client);
    expect(status.pending).toEqual([]);
    expect(status.checksumMismatch).toEqual([]);
  });

  it("applies nothing the second time", async () => {
    expect(await migrate(process.env.DATABASE_URL ?? "")).toEqual([]);
  });

  it("matches the generated Prisma client's models column for column (drift check)", async () => {
    const prisma = createPrismaClient();
    const model = runtimeDataModelSchema.parse(Reflect.get(prisma, "_runtimeDataModel"));
    await prisma.$disconnect();
    const columns = await client.query<{ table_name: string; column_name: string; data_type: string; udt_name: string }>(
      `SELECT table_name, column_name, data_type, udt_name FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    );
    const database = new Map<string, Map<string, { data_type: string; udt_name: string }>>();
    for (const row of columns.rows) {
      if (!database.has(row.table_name)) database.set(row.table_name, new Map());
      database.get(row.table_name)?.set(row.column_name, row);
    }
    const problems: string[] = [];
    for (const [modelName, { fields, dbName }] of Object.entries(model.models)) {
      const table = dbName ?? modelName;
      const dbColumns = database.get(table);
      if (!dbColumns) {
        problems.push(`table ${table} is missing`);
        continue;
      }
      const scalarFields = fields.filter((f) => f.kind !== "object");
      for (const field of scalarFields) {
        const column = dbColumns.get(field.name);
        if (!column) problems.push(`${table}.${field.name} is missing`);
        else if (field.kind === "enum" ? column.udt_name !== field.type : !COLUMN_TYPES[field.type]?.includes(columnType(column))) {
          problems.push(`${table}.${field.name} is ${column.data_type}/${column.udt_name}, schema says ${field.type}`);
        }
      }
      for (const column of dbColumns.keys()) {
        if (!scalarFields.some((f) => f.name === column)) problems.push(`${table}.${column} is not in schema.prisma`);
      }
      database.delete(table);
    }
    for (const table of database.keys()) problems.push(`table ${table} is not in schema.prisma`);
    expect(problems).toEqual([]);
  });

  it("has the same enum values as the generated client", async () => {
    const rows = await client.query<{ typname: string; labels: string[] }>(
      `SELECT t.typname, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
    );
    const inDatabase = Object.fromEntries(rows.rows.map((r) => [r.typname, r.labels]));
    const inClient = Object.fromEntries(Object.entries(enums).map(([name, values]) => [name, Object.values(values)]));
    expect(inDatabase).toEqual(inClient);
  });
});
