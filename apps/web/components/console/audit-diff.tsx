/** The fields an audited change touched, before → after. */
function fieldsOf(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function show(value: unknown): string {
  if (value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function AuditDiff({ before, after }: { before: unknown; after: unknown }) {
  const b = fieldsOf(before);
  const a = fieldsOf(after);
  const bothObjects = Object.keys(b).length > 0 || Object.keys(a).length > 0;
  if (!bothObjects) {
    if (before === null && after === null) return null;
    return (
      <p className="text-sm break-all">
        {show(before)} → {show(after)}
      </p>
    );
  }
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter(
    (k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]),
  );
  if (keys.length === 0) return <p className="text-sm text-muted">No field changed.</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="text-xs text-muted">
          <tr>
            <th scope="col" className="py-1 pr-3 font-semibold">
              Field
            </th>
            <th scope="col" className="py-1 pr-3 font-semibold">
              Before
            </th>
            <th scope="col" className="py-1 font-semibold">
              After
            </th>
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <tr key={k} className="border-t border-line align-top">
              <th scope="row" className="py-1 pr-3 font-mono text-xs font-normal">
                {k}
              </th>
              <td className="max-w-72 py-1 pr-3 break-all text-down">{show(b[k])}</td>
              <td className="max-w-72 py-1 break-all text-ok">{show(a[k])}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
