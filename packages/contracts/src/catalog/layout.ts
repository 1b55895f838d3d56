/** Where each catalog file lives, relative to CATALOG_DIR (see catalog/README.md). */
export const CATALOG_LAYOUT = {
  agentsDir: 'agents',
  skillsDir: 'skills',
  toolsDir: 'tools',
  coreSoulFile: 'core_soul.json',
  /** Every definition file is JSON named after its id (agents, skills) or name (tools). */
  extension: '.json',
} as const;
