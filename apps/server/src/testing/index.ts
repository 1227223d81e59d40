// Black-box suites that assemble their own server (restarts over one database) need the same parts.
export { createMemoryNotifier } from "../notifier/memory-notifier.js";
export { TestClient } from "./harness.js";
export {
  startTestServer,
  TEST_PASSWORD,
  type TestServer,
  type TestServerOptions,
  type TestSession,
  testConfig,
} from "./start-test-server.js";
export {
  availableBackends,
  type Backend,
  createTestDatabase,
  type TestDatabase,
} from "./test-database.js";
