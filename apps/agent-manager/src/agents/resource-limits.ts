import type { AgentResources } from '@agentplane/contracts';
import { ApiError } from '@agentplane/http-kit';

export interface WorkerLimits {
  maxCpu: number;
  maxRamMb: number;
}

const RAM_UNITS: Record<string, number> = {
  KB: 1 / 1000,
  MB: 1,
  GB: 1000,
  Ki: 1 / 1024,
  Mi: 1.048576,
  Gi: 1073.741824,
};

/** `"500m"` → 0.5, `"2"` → 2. */
export function cpuCores(cpu: string): number {
  return cpu.endsWith('m') ? Number(cpu.slice(0, -1)) / 1000 : Number(cpu);
}

/** `"512MB"` → 512, `"1Gi"` → 1073.7… (MB, decimal). */
export function ramMb(ram: string): number {
  const match = /^(\d+)(KB|MB|GB|Ki|Mi|Gi)$/.exec(ram);
  return match ? Number(match[1]) * (RAM_UNITS[match[2] ?? 'MB'] ?? 1) : Number.NaN;
}

/** Refuses at create what no worker could run (RESOURCE_LIMIT, naming the field). */
export function checkResources(
  resources: AgentResources | undefined,
  limits: WorkerLimits,
  path: string,
): void {
  if (resources === undefined) {
    return;
  }
  const issues: Array<{ path: string; message: string; code: string }> = [];
  if (resources.cpu !== undefined && cpuCores(resources.cpu) > limits.maxCpu) {
    issues.push({
      path: `${path}.cpu`,
      message: `over the workers' ${limits.maxCpu} cores`,
      code: 'too_big',
    });
  }
  if (resources.ram !== undefined && ramMb(resources.ram) > limits.maxRamMb) {
    issues.push({
      path: `${path}.ram`,
      message: `over the workers' ${limits.maxRamMb} MB`,
      code: 'too_big',
    });
  }
  if (issues.length > 0) {
    throw new ApiError({
      code: 'RESOURCE_LIMIT',
      message: `resources exceed what a worker allows: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
      details: { issues },
    });
  }
}

/** The concurrency slots a run of an agent takes on a worker: its cpu in cores, rounded up. */
export function runWeight(resources: AgentResources | null | undefined): number {
  const cores = resources?.cpu === undefined ? 1 : cpuCores(resources.cpu);
  return Number.isFinite(cores) ? Math.max(1, Math.ceil(cores)) : 1;
}
