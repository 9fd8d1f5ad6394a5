import { readFileSync } from "node:fs";
import { BETTER_AUTH_PLUGINS, betterAuthCompat, coreMigrations, defineExtension, emptyModel, defineTable, json, now, renderMigration, resolveSchema, type SchemaSnapshot, value } from "@better-auth/migrate-core";
import { describe, expect, it } from "vitest";
import { quoteIdentifier, quoteLiteral } from "./mysql-quote.js";
import { MysqlRenderer } from "./mysql-renderer.js";

const renderer = new MysqlRenderer();
const statements = (direction: "up" | "down" = "up") =>
  (direction === "up" ? coreMigrations : [...coreMigrations].reverse()).flatMap((m) => renderMigration(renderer, m, direction));

/**
 * The DDL as MySQL 8 and MariaDB both receive it. MariaDB 10.11 runs it in the test suites; no MySQL 8
 * server can be installed where these tests run, so its side is covered by this text: only syntax
 * documented for MySQL 8.0.16+ (expression defaults, enforced CHECK, DROP CONSTRAINT) appears here.
 */
const USERS = `CREATE TABLE \`users\` (
  \`id\` VARCHAR(255) NOT NULL,
  \`email\` VARCHAR(255) NULL,
  \`name\` VARCHAR(255) NULL,
  \`image\` TEXT NULL,
  \`email_verified\` BOOLEAN NOT NULL DEFAULT FALSE,
  \`created_at\` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  \`updated_at\` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  \`metadata\` JSON NOT NULL DEFAULT ('{}'),
  CONSTRAINT \`users_pkey\` PRIMARY KEY (\`id\`),
  CONSTRAINT \`users_email_key\` UNIQUE KEY (\`email\`)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin COMMENT = 'People who can sign in. Managed by Better Auth.'`;

const SESSIONS = `CREATE TABLE \`sessions\` (
  \`id\` VARCHAR(255) NOT NULL,
  \`user_id\` VARCHAR(255) NOT NULL,
  \`token\` VARCHAR(255) NOT NULL,
  \`expires_at\` DATETIME(3) NOT NULL,
  \`created_at\` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  \`ip_address\` VARCHAR(45) NULL,
  \`user_agent\` TEXT NULL,
  \`active\` BOOLEAN NOT NULL DEFAULT TRUE,
  CONSTRAINT \`sessions_pkey\` PRIMARY KEY (\`id\`),
  CONSTRAINT \`sessions_token_key\` UNIQUE KEY (\`token\`),
  INDEX \`sessions_user_id_idx\` (\`user_id\`),
  INDEX \`sessions_expires_at_idx\` (\`expires_at\`),
  CONSTRAINT \`sessions_user_id_fkey\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\` (\`id\`) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin COMMENT = `;

const VIEW = `CREATE SQL SECURITY INVOKER VIEW \`active_sessions\` AS
SELECT \`s\`.\`id\`, \`s\`.\`user_id\`, \`s\`.\`token\`, \`s\`.\`expires_at\`, \`s\`.\`created_at\`, \`s\`.\`ip_address\`, \`s\`.\`user_agent\`, \`u\`.\`email\`, \`u\`.\`name\`
FROM \`sessions\` AS \`s\`
JOIN \`users\` AS \`u\` ON \`u\`.\`id\` = \`s\`.\`user_id\`
WHERE \`s\`.\`active\` = TRUE AND \`s\`.\`expires_at\` > UTC_TIMESTAMP(3)`;

describe("MySQL rendering", () => {
  it("quotes identifiers and literals, and refuses what would depend on sql_mode", () => {
    expect(quoteIdentifier("we`ird")).toBe("`we``ird`");
    expect(quoteLiteral("it's")).toBe("'it''s'");
    expect(() => quoteLiteral("C:\\path")).toThrow(/backslash/);
    expect(() => quoteIdentifier("a\0b")).toThrow(/NUL/);
  });

  it("renders each operation as at most one statement, the routines as none", () => {
    const { migrations } = resolveSchema(betterAuthCompat({ plugins: [...BETTER_AUTH_PLUGINS] }));
    for (const migration of migrations) {
      for (const op of migration.up) expect(renderer.render(op, emptyModel).length, `${migration.id} ${op.kind}`).toBeLessThanOrEqual(1);
    }
    expect(statements()).toHaveLength(7);
  });

  it("renders the users table with utf8mb4, DATETIME(3), ON UPDATE and a JSON default both servers take", () => {
    expect(statements()[0]).toBe(USERS);
  });

  it("renders sessions with its indexes and foreign key inline", () => {
    expect(statements()[1]).toContain(SESSIONS);
  });

  it("renders the view with UTC_TIMESTAMP, independent of the session's time zone", () => {
    expect(statements()[3]).toBe(VIEW);
  });

  it("enforces invitation.status with a named check", () => {
    expect(statements().join("\n")).toContain("CONSTRAINT `invitation_status_check` CHECK (`status` IN ('pending', 'accepted', 'rejected', 'canceled'))");
  });

  it("renders the down in reverse order", () => {
    expect(statements("down")).toEqual([
      "DROP TABLE `invitation`", "DROP TABLE `member`", "DROP TABLE `organization`",
      "DROP VIEW `active_sessions`", "DROP TABLE `accounts`", "DROP TABLE `sessions`", "DROP TABLE `users`",
    ]);
  });

  it("renders an extension's added column with its constraints in one statement, and its down", () => {
    const extension = defineExtension({
      id: "0100_profile",
      name: "profile",
      columns: {
        users: {
          handle: { type: "string", nullable: true, unique: true },
          tier: { type: "string", default: value("free"), oneOf: ["free", "pro"] },
          bio: { type: "text", default: value("") },
          settings: { type: "json", default: json({ theme: "dark" }) },
          profile_updated_at: { type: "timestamp", default: now(), autoUpdate: true },
          team_id: { type: "id", nullable: true, references: { table: "organization", onDelete: "set null" } },
        },
      },
    });
    expect(renderMigration(renderer, extension.migration, "up")).toEqual([
      "ALTER TABLE `users`\n  ADD COLUMN `handle` VARCHAR(255) NULL,\n  ADD CONSTRAINT `users_handle_key` UNIQUE KEY (`handle`)",
      "ALTER TABLE `users`\n  ADD COLUMN `tier` VARCHAR(255) NOT NULL DEFAULT 'free',\n  ADD CONSTRAINT `users_tier_check` CHECK (`tier` IN ('free', 'pro'))",
      "ALTER TABLE `users`\n  ADD COLUMN `bio` TEXT NOT NULL DEFAULT ('')",
      `ALTER TABLE \`users\`\n  ADD COLUMN \`settings\` JSON NOT NULL DEFAULT ('{"theme":"dark"}')`,
      "ALTER TABLE `users`\n  ADD COLUMN `profile_updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)",
      "ALTER TABLE `users`\n  ADD COLUMN `team_id` VARCHAR(255) NULL,\n  ADD CONSTRAINT `users_team_id_fkey` FOREIGN KEY (`team_id`) REFERENCES `organization` (`id`) ON DELETE SET NULL",
    ]);
    expect(renderMigration(renderer, extension.migration, "down")).toEqual([
      "ALTER TABLE `users`\n  DROP FOREIGN KEY `users_team_id_fkey`,\n  DROP COLUMN `team_id`",
      "ALTER TABLE `users`\n  DROP COLUMN `profile_updated_at`",
      "ALTER TABLE `users`\n  DROP COLUMN `settings`",
      "ALTER TABLE `users`\n  DROP COLUMN `bio`",
      "ALTER TABLE `users`\n  DROP CONSTRAINT `users_tier_check`,\n  DROP COLUMN `tier`",
      "ALTER TABLE `users`\n  DROP COLUMN `handle`",
    ]);
  });

  it("refuses keys MySQL cannot build, before anything runs", () => {
    const indexedText = defineExtension({
      id: "0100_notes",
      name: "notes",
      tables: [defineTable({ name: "notes", comment: "", columns: { id: { type: "id", primaryKey: true }, body: { type: "text" } }, indexes: [["body"]] })],
    });
    expect(() => renderMigration(renderer, indexedText.migration, "up")).toThrow(/cannot index the text column notes.body/);
    const wide = defineExtension({
      id: "0100_wide",
      name: "wide",
      tables: [
        defineTable({
          name: "wide",
          comment: "",
          columns: { id: { type: "id", primaryKey: true }, a: { type: "string" }, b: { type: "string" }, c: { type: "string" } },
          unique: [["a", "b", "c", "id"]],
        }),
      ],
    });
    expect(() => renderMigration(renderer, wide.migration, "up")).toThrow(/4080 bytes per key; InnoDB allows 3072/);
  });

  it("renders the core migrations exactly as the golden file holds them", () => {
    // A rendering change shows up here as a diff of the golden file, to review and commit.
    const golden = readFileSync(new URL("./mysql-renderer.golden.sql", import.meta.url), "utf8");
    expect(statements().map((s) => `${s};\n`).join("\n")).toBe(golden);
  });
});

describe("MySQL describe and reconcile", () => {
  const model = resolveSchema();
  const described = renderer.describe(model);

  it("describes the model in the introspector's normal form", () => {
    const users = described.tables.find((t) => t.name === "users")!;
    expect(users.columns.map((c) => [c.name, c.type, c.nullable, c.default, c.autoUpdate])).toEqual([
      ["id", "varchar(255)", false, null, false],
      ["email", "varchar(255)", true, null, false],
      ["name", "varchar(255)", true, null, false],
      ["image", "text", true, null, false],
      ["email_verified", "boolean", false, "0", false],
      ["created_at", "datetime(3)", false, "current_timestamp(3)", false],
      ["updated_at", "datetime(3)", false, "current_timestamp(3)", true],
      ["metadata", "json", false, "'{}'", false],
    ]);
    expect(users.columns.find((c) => c.name === "image")!.alsoAccepted).toEqual(["mediumtext", "longtext"]);
    expect(users.columns.find((c) => c.name === "updated_at")!.alsoAccepted).toBeUndefined();
    expect(users.primaryKey).toEqual({ name: "PRIMARY", columns: ["id"] });
    const invitation = described.tables.find((t) => t.name === "invitation")!;
    expect(invitation.checks).toEqual([{ name: "invitation_status_check", expression: "status in ('pending','accepted','rejected','canceled')" }]);
    expect(invitation.foreignKeys.map((fk) => fk.onDelete)).toEqual(["cascade", "cascade"]);
    expect(described.views).toEqual([{
      name: "active_sessions",
      columns: ["id", "user_id", "token", "expires_at", "created_at", "ip_address", "user_agent", "email", "name"],
      definition:
        "select s.id,s.user_id,s.token,s.expires_at,s.created_at,s.ip_address,s.user_agent,u.email,u.name " +
        "from sessions s join users u on u.id = s.user_id where s.active = 1 and s.expires_at > utc_timestamp(3)",
    }]);
    expect(described.routines).toEqual([]);
  });

  it("adds the index InnoDB creates for a foreign key that no index serves", () => {
    const ext = defineExtension({
      id: "0100_fk",
      name: "fk",
      tables: [defineTable({ name: "pins", comment: "", columns: {
        id: { type: "id", primaryKey: true },
        user_id: { type: "id", references: { table: "users" } },
        org_id: { type: "id", references: { table: "organization" } },
      }, unique: [["org_id", "user_id"]] })],
    });
    const pins = renderer.describe(resolveSchema([ext])).tables.find((t) => t.name === "pins")!;
    // org_id leads the unique key, which serves its foreign key; user_id gets an index of its own.
    expect(pins.indexes).toEqual([{ name: "pins_user_id_fkey", columns: ["user_id"], unique: false, method: "btree" }]);
    expect(pins.foreignKeys.map((fk) => fk.onDelete)).toEqual(["restrict", "restrict"]);
  });

  it("reconciles by operation: indexes the live table lacks, ON UPDATE, the comment, the view", () => {
    const live: SchemaSnapshot = {
      ...described,
      tables: described.tables.map((t) =>
        t.name !== "users" && t.name !== "sessions" ? t : {
          ...t,
          columns: t.columns.map((c) => (c.name === "updated_at" ? { ...c, autoUpdate: false } : c)),
          indexes: t.indexes.filter((i) => i.name !== "sessions_expires_at_idx"),
        },
      ),
    };
    const [, users, sessions, , , view] = coreMigrations[0]!.up;
    expect(renderer.reconcile(users!, live)).toEqual([
      "ALTER TABLE `users` MODIFY COLUMN `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)",
      "ALTER TABLE `users` COMMENT = 'People who can sign in. Managed by Better Auth.'",
    ]);
    expect(renderer.reconcile(sessions!, live)).toEqual([
      "CREATE INDEX `sessions_expires_at_idx` ON `sessions` (`expires_at`)",
      "ALTER TABLE `sessions` COMMENT = 'Sign-in sessions, looked up by token on every request. Managed by Better Auth.'",
    ]);
    expect(renderer.reconcile(view!, live)[0]).toMatch(/^CREATE OR REPLACE SQL SECURITY INVOKER VIEW `active_sessions` AS\nSELECT `s`.`id`/);
    expect(renderer.reconcile(coreMigrations[0]!.up[0]!, live)).toEqual([]);
  });

  it("leaves ON UPDATE alone when the column differs in what it holds: adoption stops on that instead", () => {
    const live: SchemaSnapshot = {
      ...described,
      tables: described.tables.map((t) => (t.name !== "users" ? t : {
        ...t, columns: t.columns.map((c) => (c.name === "updated_at" ? { ...c, type: "datetime", autoUpdate: false } : c)),
      })),
    };
    expect(renderer.reconcile(coreMigrations[0]!.up[1]!, live)).toEqual(["ALTER TABLE `users` COMMENT = 'People who can sign in. Managed by Better Auth.'"]);
  });

  it("renders the ledger for SQL files with IF NOT EXISTS, and quotes through functions core may call unbound", () => {
    const [ledger] = renderer.createTableIfMissing(model.tables[0]!);
    expect(ledger).toMatch(/^CREATE TABLE IF NOT EXISTS `users` \(/);
    const { quoteIdentifier: quoteId, quoteLiteral: quoteLit } = renderer;
    expect(quoteId("a`b")).toBe("`a``b`");
    expect(quoteLit("it's")).toBe("'it''s'");
    expect(renderer.tableName("users")).toBe("`users`");
  });
});

describe("the batched session cleanup", () => {
  const routine = { kind: "cleanupExpiredSessions", name: "cleanup_expired_sessions", comment: "", table: "sessions", expiresAt: "expires_at", active: "active" } as const;
  it("reads the next keys without locking, then deletes those still expired or inactive by key", () => {
    expect(renderer.cleanupBatchKeys(routine, "id", 1000, false)).toBe(
      "SELECT `id` FROM `sessions` WHERE (`expires_at` <= UTC_TIMESTAMP(3) OR NOT `active`) ORDER BY `id` LIMIT 1000",
    );
    expect(renderer.cleanupBatchKeys(routine, "id", 1000, true)).toBe(
      "SELECT `id` FROM `sessions` WHERE `id` > ? AND (`expires_at` <= UTC_TIMESTAMP(3) OR NOT `active`) ORDER BY `id` LIMIT 1000",
    );
    expect(renderer.cleanupBatchDelete(routine, "id", 3)).toBe(
      "DELETE FROM `sessions` WHERE `id` IN (?, ?, ?) AND (`expires_at` <= UTC_TIMESTAMP(3) OR NOT `active`)",
    );
  });
});
