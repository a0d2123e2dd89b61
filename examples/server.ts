// The entry point. Source maps are switched on before any of the service's modules load (they
// apply only to modules loaded after), so logged stack traces point at the .ts sources. Both
// services start this way, so the benchmark compares like with like.
process.setSourceMapsEnabled(true);
require('./main.js');
