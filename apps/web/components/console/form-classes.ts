/** The console's control styles, shared by server and client components. */
export const inputClass =
  'block w-full min-h-11 rounded-md border border-line bg-ink px-3 py-2 text-fg placeholder:text-muted/70 focus:border-gold aria-invalid:border-down';
export const buttonClass =
  'inline-flex min-h-11 items-center justify-center gap-2 rounded-md bg-gold px-4 font-semibold text-ink hover:bg-gold/90 disabled:cursor-not-allowed disabled:opacity-60';
export const secondaryButtonClass =
  'inline-flex min-h-11 items-center justify-center gap-2 rounded-md border border-line px-4 font-semibold text-fg hover:border-gold hover:text-gold disabled:cursor-not-allowed disabled:opacity-60';
export const dangerButtonClass =
  'inline-flex min-h-11 items-center justify-center gap-2 rounded-md border border-down/60 px-4 font-semibold text-down hover:bg-down/10 disabled:cursor-not-allowed disabled:opacity-60';
export const smallButtonClass =
  'inline-flex min-h-9 min-w-9 items-center justify-center rounded-md border border-line px-2 text-sm text-fg hover:border-gold hover:text-gold disabled:cursor-not-allowed disabled:opacity-40';
