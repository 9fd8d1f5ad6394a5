/**
 * The normal form, text in and text out. MariaDB 10.11 runs in the integration tests; no MySQL 8
 * server can run where these tests do, so MySQL 8's spellings (taken from its documentation and
 * information_schema as MySQL 8.0/8.4 fill it) are covered here: unquoted string defaults,
 * `_utf8mb4\'…\'` expression defaults, `CURRENT_TIMESTAMP(3)` with DEFAULT_GENERATED, native `json`,
 * `int` without display width, checks and views wrapped in parentheses, `= true`.
 */
import { describe, expect, it } from "vitest";
import {
  isAutoUpdate, jsonValidatedColumn, normalizeColumnType, normalizeDefault, normalizeReferentialAction, normalizeSqlText,
} from "./mysql-normal-form.js";

const mariadb = (columnDefault: string | null, type: string, extra = "") => normalizeDefault({ columnDefault, type, extra, spelling: "sql" });
const mysql8 = (columnDefault: string | null, type: string, extra = "") => normalizeDefault({ columnDefault, type, extra, spelling: "value" });

describe("column types", () => {
  it("spells what BOOLEAN, INT and JSON become on either server one way", () => {
    expect(normalizeColumnType("tinyint(1)")).toBe("boolean");
    expect(normalizeColumnType("BOOLEAN")).toBe("boolean");
    expect(normalizeColumnType("tinyint(4)")).toBe("tinyint");
    expect(normalizeColumnType("int(11)")).toBe("int");
    expect(normalizeColumnType("int")).toBe("int");
    expect(normalizeColumnType("INTEGER")).toBe("int");
    expect(normalizeColumnType("bigint(20) unsigned")).toBe("bigint unsigned");
    expect(normalizeColumnType("VARCHAR(255)")).toBe("varchar(255)");
    expect(normalizeColumnType("DATETIME(3)")).toBe("datetime(3)");
    // MariaDB: JSON is LONGTEXT guarded by json_valid; MySQL 8: a type of its own.
    expect(normalizeColumnType("longtext", { validatedAsJson: true })).toBe("json");
    expect(normalizeColumnType("longtext")).toBe("longtext");
    expect(normalizeColumnType("json")).toBe("json");
  });

  it("recognises MariaDB's json_valid check, however it is spelled", () => {
    expect(jsonValidatedColumn("json_valid(`metadata`)")).toBe("metadata");
    expect(jsonValidatedColumn("(JSON_VALID(`metadata`))")).toBe("metadata");
    expect(jsonValidatedColumn("json_valid(`metadata`) and 1")).toBeUndefined();
    expect(jsonValidatedColumn("`status` in ('a','b')")).toBeUndefined();
  });
});

describe("defaults", () => {
  it("reads MariaDB's SQL spelling: NULL as the word, strings quoted", () => {
    expect(mariadb(null, "varchar(255)")).toBeNull();
    expect(mariadb("NULL", "varchar(255)")).toBeNull();
    expect(mariadb("'NULL'", "varchar(5)")).toBe("'NULL'");
    expect(mariadb("'member'", "varchar(255)")).toBe("'member'");
    expect(mariadb("'it''s'", "varchar(255)")).toBe("'it''s'");
    expect(mariadb("current_timestamp(3)", "datetime(3)")).toBe("current_timestamp(3)");
    expect(mariadb("current_timestamp()", "datetime")).toBe("current_timestamp()");
    expect(mariadb("0", "boolean")).toBe("0");
    expect(mariadb("1", "boolean")).toBe("1");
    expect(mariadb("'{}'", "json")).toBe("'{}'");
    expect(mariadb("'{\"a\": \"b\"}'", "json")).toBe("'{\"a\": \"b\"}'");
  });

  it("reads MySQL 8's spelling: bare values, expressions with escaped quotes", () => {
    expect(mysql8(null, "varchar(255)")).toBeNull();
    expect(mysql8("member", "varchar(255)")).toBe("'member'");
    expect(mysql8("it's", "varchar(255)")).toBe("'it''s'");
    expect(mysql8("0", "boolean")).toBe("0");
    expect(mysql8("5", "int")).toBe("5");
    expect(mysql8("2020-01-01 00:00:00.000", "datetime(3)")).toBe("'2020-01-01 00:00:00.000'");
    expect(mysql8("CURRENT_TIMESTAMP(3)", "datetime(3)", "DEFAULT_GENERATED")).toBe("current_timestamp(3)");
    expect(mysql8("CURRENT_TIMESTAMP(3)", "datetime(3)", "DEFAULT_GENERATED on update CURRENT_TIMESTAMP(3)")).toBe("current_timestamp(3)");
    expect(mysql8("CURRENT_TIMESTAMP", "datetime", "")).toBe("current_timestamp()");
    expect(mysql8("_utf8mb4\\'{}\\'", "json", "DEFAULT_GENERATED")).toBe("'{}'");
    expect(mysql8("_utf8mb4\\'member\\'", "text", "DEFAULT_GENERATED")).toBe("'member'");
  });

  it("gives what the renderer writes the same form", () => {
    const written = (sql: string) => mariadb(sql, "");
    expect(written("TRUE")).toBe("1");
    expect(written("FALSE")).toBe("0");
    expect(written("('{}')")).toBe("'{}'");
    expect(written("CURRENT_TIMESTAMP(3)")).toBe("current_timestamp(3)");
    expect(written("NOW(3)")).toBe("current_timestamp(3)");
    expect(written("'member'")).toBe("'member'");
  });
});

describe("ON UPDATE and foreign key actions", () => {
  it("sees ON UPDATE in either server's extra", () => {
    expect(isAutoUpdate("on update current_timestamp(3)")).toBe(true);
    expect(isAutoUpdate("DEFAULT_GENERATED on update CURRENT_TIMESTAMP(3)")).toBe(true);
    expect(isAutoUpdate("DEFAULT_GENERATED")).toBe(false);
    expect(isAutoUpdate("")).toBe(false);
  });

  it("treats NO ACTION as RESTRICT, which it is in InnoDB", () => {
    expect(normalizeReferentialAction("CASCADE")).toBe("cascade");
    expect(normalizeReferentialAction("SET NULL")).toBe("set null");
    expect(normalizeReferentialAction("NO ACTION")).toBe("restrict");
    expect(normalizeReferentialAction("RESTRICT")).toBe("restrict");
  });
});

describe("SQL text", () => {
  const CHECK = "status in ('pending','accepted','rejected','canceled')";

  it("gives a check the same text from MariaDB, MySQL 8 and the renderer", () => {
    expect(normalizeSqlText("`status` in ('pending','accepted','rejected','canceled')")).toBe(CHECK);
    expect(normalizeSqlText("(`status` in (_utf8mb4'pending',_utf8mb4'accepted',_utf8mb4'rejected',_utf8mb4'canceled'))")).toBe(CHECK);
    expect(normalizeSqlText("`status` IN ('pending', 'accepted', 'rejected', 'canceled')")).toBe(CHECK);
    expect(normalizeSqlText('status IN ("pending", "accepted", "rejected", "canceled")')).toBe(CHECK);
  });

  const VIEW =
    "select s.id,s.user_id,s.token,s.expires_at,s.created_at,s.ip_address,s.user_agent,u.email,u.name " +
    "from sessions s join users u on u.id = s.user_id where s.active = 1 and s.expires_at > utc_timestamp(3)";

  it("gives the view the same text from MariaDB, MySQL 8 and the renderer", () => {
    const mariadbText =
      "select `s`.`id` AS `id`,`s`.`user_id` AS `user_id`,`s`.`token` AS `token`,`s`.`expires_at` AS `expires_at`,`s`.`created_at` AS `created_at`," +
      "`s`.`ip_address` AS `ip_address`,`s`.`user_agent` AS `user_agent`,`u`.`email` AS `email`,`u`.`name` AS `name` " +
      "from (`app`.`sessions` `s` join `app`.`users` `u` on(`u`.`id` = `s`.`user_id`)) where `s`.`active` = 1 and `s`.`expires_at` > utc_timestamp(3)";
    const mysql8Text =
      "select `s`.`id` AS `id`,`s`.`user_id` AS `user_id`,`s`.`token` AS `token`,`s`.`expires_at` AS `expires_at`,`s`.`created_at` AS `created_at`," +
      "`s`.`ip_address` AS `ip_address`,`s`.`user_agent` AS `user_agent`,`u`.`email` AS `email`,`u`.`name` AS `name` " +
      "from (`app`.`sessions` `s` join `app`.`users` `u` on((`u`.`id` = `s`.`user_id`))) where ((`s`.`active` = true) and (`s`.`expires_at` > utc_timestamp(3)))";
    const rendered =
      "SELECT `s`.`id`, `s`.`user_id`, `s`.`token`, `s`.`expires_at`, `s`.`created_at`, `s`.`ip_address`, `s`.`user_agent`, `u`.`email`, `u`.`name`\n" +
      "FROM `sessions` AS `s`\nJOIN `users` AS `u` ON `u`.`id` = `s`.`user_id`\nWHERE `s`.`active` = TRUE AND `s`.`expires_at` > UTC_TIMESTAMP(3)";
    expect(normalizeSqlText(mariadbText, { database: "app" })).toBe(VIEW);
    expect(normalizeSqlText(mysql8Text, { database: "app" })).toBe(VIEW);
    expect(normalizeSqlText(rendered)).toBe(VIEW);
  });

  it("keeps what changes the meaning: other aliases, other databases, literals' case, function calls", () => {
    expect(normalizeSqlText("select `s`.`token` AS `tok` from `other`.`sessions` `s`", { database: "app" })).toBe("select s.token tok from other.sessions s");
    expect(normalizeSqlText("SELECT 'Mixed Case' WHERE x = NOW()")).toBe("select 'Mixed Case' where x = now()");
    expect(normalizeSqlText("where a.active = 1 and b > 2")).not.toBe(normalizeSqlText("where a.active = 1"));
    expect(normalizeSqlText("DELETE FROM sessions WHERE expires_at <= UTC_TIMESTAMP(3) OR NOT active;")).toBe(
      "delete from sessions where expires_at <= utc_timestamp(3) or not active",
    );
  });
});
