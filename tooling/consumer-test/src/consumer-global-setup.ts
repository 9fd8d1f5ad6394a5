import { rmSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { type ConsumerProject, createConsumerProject } from "./consumer-project.js";

declare module "vitest" {
  export interface ProvidedContext {
    consumerProject: ConsumerProject;
  }
}

/**
 * Vitest global setup: packs the packages and installs them into a new application once for the
 * run, and removes it afterwards (BETTER_AUTH_TEST_KEEP_CONSUMER=1 keeps it, to look into a failure).
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const started = Date.now();
  const consumer = await createConsumerProject();
  console.log(`consumer project: ${consumer.dir} (packed and installed in ${Date.now() - started} ms)`);
  project.provide("consumerProject", consumer);
  return () => {
    if (!process.env.BETTER_AUTH_TEST_KEEP_CONSUMER) rmSync(consumer.root, { recursive: true, force: true });
  };
}
