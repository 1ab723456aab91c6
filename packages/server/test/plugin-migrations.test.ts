import { openPglite } from "../src/db/pglite";
import { migrate, MIGRATIONS, type PluginMigration } from "../src";

describe("plugin migrations (startService's migrations option)", () => {
  const plugin: PluginMigration[] = [
    { id: "example-1", name: "a table", sql: "create table example_things (id text primary key);\ncreate index example_things_by_id on example_things (id);" },
    { id: "example-2", name: "a column", sql: "alter table example_things add column note text" },
  ];

  it("applies a plugin's steps after the service's, once, recorded by their namespaced ids", async () => {
    const db = await openPglite();
    try {
      const first = await migrate(db, plugin);
      expect(first).toEqual([...MIGRATIONS.map((m) => m.id), "example-1", "example-2"]);
      expect(await migrate(db, plugin)).toEqual([]);
      await db.query("insert into example_things (id, note) values ('a', 'b')");
      const recorded = await db.query<{ id: string }>("select id from plugin_migrations order by id");
      expect(recorded.map((r) => r.id)).toEqual(["example-1", "example-2"]);
      // A later step of the same plugin is applied alone.
      expect(await migrate(db, [...plugin, { id: "example-3", name: "another", sql: "alter table example_things add column other int" }])).toEqual(["example-3"]);
    } finally {
      await db.close();
    }
  });

  it("rolls a failing step back and applies it on the next start", async () => {
    const db = await openPglite();
    try {
      await expect(migrate(db, [{ id: "broken-1", name: "broken", sql: "create table half_done (id int);\nselect * from no_such_table" }])).rejects.toThrow(/no_such_table/);
      expect(await db.query("select 1 from plugin_migrations where id = 'broken-1'")).toEqual([]);
      expect(await db.query("select to_regclass('half_done') as t")).toEqual([{ t: null }]);
      expect(await migrate(db, [{ id: "broken-1", name: "fixed", sql: "create table half_done (id int)" }])).toEqual(["broken-1"]);
    } finally {
      await db.close();
    }
  });

  it("leaves a database without plugins as it was (no plugin_migrations table)", async () => {
    const db = await openPglite();
    try {
      await migrate(db);
      expect(await db.query("select to_regclass('plugin_migrations') as t")).toEqual([{ t: null }]);
    } finally {
      await db.close();
    }
  });
});
