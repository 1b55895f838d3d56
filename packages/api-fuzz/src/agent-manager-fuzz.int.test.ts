import { fuzzSurface } from './run/fuzz-suite.js';

fuzzSurface('agent-manager');
