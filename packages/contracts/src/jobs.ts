/** Job names and payloads: the contract between the API (producer) and the worker (consumer). */
export type JobPayloads = {
  'email.send': { to: string; subject: string; text: string; html?: string };
};
export type JobName = keyof JobPayloads & string;
