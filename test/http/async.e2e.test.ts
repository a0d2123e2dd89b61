// e2e: the async/await twin (examples/async/, plain tsc), held to the same checks as the demo so
// the benchmark compares two services that do the same work.
import { endpointTests } from './support/endpoint-tests.js';

endpointTests('async');
