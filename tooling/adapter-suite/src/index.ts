export type { AdapterHarness, HandMadeFixtures, HarnessDatabase, MigratorOptions } from "./harness.js";
export { runnerSuite } from "./runner-suite.js";
export { behaviourSuite } from "./behaviour-suite.js";
export { accessErrorOf } from "./access-error.js";
export { adoptionSuite } from "./adoption-suite.js";
export { loadSuite, LOAD_ROUNDS, LOAD_RUNNERS } from "./load-suite.js";
export { inputsSuite, INPUT_RUNS } from "./inputs-suite.js";
export { tableSpec } from "./inputs-arbitraries.js";
export { compatSuite } from "./compat-suite.js";
