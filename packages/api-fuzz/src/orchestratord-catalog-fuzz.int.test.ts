import { fuzzSurface } from './run/fuzz-suite.js';

fuzzSurface('orchestratord-catalog');
