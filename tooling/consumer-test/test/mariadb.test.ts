import { closeMysqlAdminPools, createMysqlTestDatabase } from "@better-auth/test-databases";
import { afterAll, inject } from "vitest";
import { migrateSuite } from "../src/migrate-suite.js";

afterAll(closeMysqlAdminPools);

const server = inject("mariadbServer");
migrateSuite("@better-auth/migrate-mysql", `MariaDB ${server.version}`, () => createMysqlTestDatabase(server.adminUrl));
