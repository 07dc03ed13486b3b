/** Liveness of the web server itself; it does not call the API (that is the API's /readyz). */
export const dynamic = 'force-dynamic';

export function GET(): Response {
  return Response.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
}
