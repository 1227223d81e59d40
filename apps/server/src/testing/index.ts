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
