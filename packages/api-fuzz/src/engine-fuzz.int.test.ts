import { fuzzSurface } from './run/fuzz-suite.js';

fuzzSurface('engine');
