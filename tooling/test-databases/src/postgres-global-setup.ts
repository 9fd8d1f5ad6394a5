import type { TestProject } from "vitest/node";
import { type PostgresServer, postgresVersionsUnderTest, startPostgres } from "./postgres-server.js";

export interface ProvidedPostgres {
  version: number;
  adminUrl: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    postgresServers: ProvidedPostgres[];
  }
}

/**
 * Vitest global setup: starts one server per PostgreSQL major under test (15 and 17 by default)
 * before any test file runs and stops them afterwards. A server that cannot start fails the run:
 * a database suite is never skipped silently.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const servers: PostgresServer[] = [];
  try {
    for (const version of postgresVersionsUnderTest()) servers.push(await startPostgres(version));
  } catch (error) {
    await Promise.allSettled(servers.map((s) => s.stop()));
    throw error;
  }
  project.provide(
    "postgresServers",
    servers.map((s) => ({ version: s.version, adminUrl: s.adminUrl })),
  );
  return async () => {
    await Promise.allSettled(servers.map((s) => s.stop()));
  };
}
