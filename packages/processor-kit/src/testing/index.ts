export { type ContractSuiteOptions, processorContractSuite } from './contract-suite.js';
export {
  type SpawnProcessorOptions,
  type StartedProcessor,
  spawnProcessor,
} from './spawn-processor.js';
