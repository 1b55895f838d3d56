import type { AuditEntry, EngineInfo, FleetStatus } from '@agentplane/contracts';

const dash = (v: string | number | null | undefined): string =>
  v === null || v === undefined || v === '' ? '-' : String(v);

/** Left-aligned columns separated by two spaces; the last column is not padded. */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

export function engineTable(engines: readonly EngineInfo[]): string {
  return renderTable(
    ['USER_ID', 'STATUS', 'URL', 'ENGINE_ID', 'RESTARTS', 'LAST_HEALTH_AT'],
    engines.map((e) => [
      e.user_id,
      e.status,
      e.url,
      e.engine_id,
      String(e.restart_count),
      dash(e.last_health_at),
    ]),
  );
}

/** `key: value` lines, keys aligned. */
export function renderFields(fields: readonly (readonly [string, string | number | null])[]) {
  const width = Math.max(...fields.map(([k]) => k.length));
  return fields.map(([k, v]) => `${`${k}:`.padEnd(width + 1)} ${dash(v)}`).join('\n');
}

/** One line: time, actor, action, user, duration, metadata JSON. */
export function auditLine(entry: AuditEntry): string {
  const duration = entry.duration_ms === null ? '-' : `${Math.round(entry.duration_ms)}ms`;
  return [
    entry.at,
    entry.actor,
    entry.action,
    dash(entry.user_id),
    duration,
    JSON.stringify(entry.metadata),
  ].join('  ');
}

export function fleetSummary(status: FleetStatus): string {
  const byStatus = Object.entries(status.by_status)
    .map(([k, n]) => `${k}=${n}`)
    .join(' ');
  const pools = status.pools.map((p) => `${p.name}(${p.driver})=${p.engines}`).join(' ');
  return renderFields([
    ['total', status.total],
    ['by_status', byStatus],
    ['healthy', status.health.healthy],
    ['unhealthy', status.health.unhealthy],
    ['provisions_1h', status.provisions_1h],
    ['crashes_1h', status.crashes_1h],
    ['restarts_1h', status.restarts_1h],
    ['avg_boot_ms', status.avg_boot_ms === null ? null : Math.round(status.avg_boot_ms)],
    ['pools', pools],
  ]);
}
