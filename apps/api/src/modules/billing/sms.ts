/** Text messages to viewers. Production can add an Africa's Talking (or other) sender behind this. */
export interface SmsSender {
  send(to: string, text: string): Promise<void>;
}

/** The default: writes the message to the log, so reminders are visible without an SMS account. */
export class LogSmsSender implements SmsSender {
  readonly sent: { to: string; text: string }[] = [];

  constructor(private readonly log: (message: string, fields: Record<string, unknown>) => void = () => {}) {}

  async send(to: string, text: string): Promise<void> {
    // Bounded: the list only helps tests and debugging.
    if (this.sent.length >= 100) this.sent.shift();
    this.sent.push({ to, text });
    this.log('sms (log only)', { to: `${to.slice(0, 6)}…${to.slice(-2)}`, text });
  }
}
