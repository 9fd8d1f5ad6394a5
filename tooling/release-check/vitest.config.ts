import { baseConfig } from "@better-auth/vitest-config";

export default baseConfig;
