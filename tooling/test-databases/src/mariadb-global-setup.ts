import type { TestProject } from "vitest/node";
import { startMariadb } from "./mariadb-server.js";

export interface ProvidedMariadb {
  /** Full version string, from `SELECT VERSION()`. */
  version: string;
  adminUrl: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    mariadbServer: ProvidedMariadb;
  }
}

/**
 * Vitest global setup: starts one MariaDB server before any test file runs and stops it afterwards.
 * A server that cannot start fails the run: a database suite is never skipped silently.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startMariadb();
  project.provide("mariadbServer", { version: server.version, adminUrl: server.adminUrl });
  return () => server.stop();
}
