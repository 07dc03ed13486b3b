/**
 * An OAuth access token kept until shortly before it expires. Per process: losing it only costs
 * one more token request.
 */
export class CachedToken {
  private value: { token: string; until: number } | null = null;
  private pending: Promise<string> | null = null;

  constructor(private readonly fetchToken: () => Promise<{ token: string; expiresInSeconds: number }>) {}

  async get(): Promise<string> {
    if (this.value && this.value.until > Date.now()) return this.value.token;
    this.pending ??= this.fetchToken()
      .then(({ token, expiresInSeconds }) => {
        this.value = { token, until: Date.now() + Math.max(0, expiresInSeconds - 60) * 1000 };
        return token;
      })
      .finally(() => {
        this.pending = null;
      });
    return this.pending;
  }

  clear(): void {
    this.value = null;
  }
}
