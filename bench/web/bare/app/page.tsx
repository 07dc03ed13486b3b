// Rendered on every request, as the app's pages are, so both are served the same way.
export const dynamic = 'force-dynamic';

/** The baseline of the web benchmark: what Next.js costs before any of our own code. */
export default function BarePage() {
  return (
    <main>
      <h1>Kush Films</h1>
      <p>
        A bare Next.js page: one heading and one paragraph, server-rendered, with the framework runtime and nothing
        else.
      </p>
    </main>
  );
}
