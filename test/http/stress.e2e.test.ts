// e2e in stress mode (issue 8): the demo service built with `green-tsc --stress`, where every
// function that can be rewritten is and every call in rewritten code is preceded by a real
// suspension, held to the same checks as the demo itself, against real MySQL and real HTTP.
import { endpointTests } from './support/endpoint-tests.js';

endpointTests('green-stress');
