import type { FakeInteraction, FakeInteractionCallback } from './fake-interactions.js';
import type { FakeMessage } from './fake-message-store.js';

export interface WaitOptions {
  timeoutMs?: number;
  /** Said in the timeout error, to tell which wait failed. */
  description?: string;
}

export type Waiter = <T>(probe: () => T, options?: WaitOptions) => Promise<NonNullable<T>>;

/** Polls `probe` until it returns something truthy; rejects after `timeoutMs` (default 2000). */
export function waitFor<T>(probe: () => T, options: WaitOptions = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + (options.timeoutMs ?? 2000);
  return new Promise((resolve, reject) => {
    const check = (): void => {
      let value: T;
      try {
        value = probe();
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      if (value) {
        resolve(value as NonNullable<T>);
      } else if (Date.now() >= deadline) {
        reject(new Error(`fake discord: timed out waiting for ${options.description ?? probe.toString()}`));
      } else {
        setTimeout(check, 5);
      }
    };
    check();
  });
}

export interface AutocompleteChoice {
  name: string;
  value: string | number;
}

/** An interaction sent to the bot, with waits for the bot's answers. `record` fills in live as the bot responds. */
export class FakeInteractionHandle {
  constructor(
    readonly record: FakeInteraction,
    private readonly wait: Waiter,
  ) {}

  get id(): string {
    return this.record.id;
  }

  get token(): string {
    return this.record.token;
  }

  /** The bot's first (and only) POST /interactions/:id/:token/callback. */
  callback(options?: WaitOptions): Promise<FakeInteractionCallback> {
    return this.wait(() => this.record.callbacks[0], {
      description: `a callback to interaction ${this.id}`,
      ...options,
    });
  }

  /**
   * The reply the user sees: the type 4 message, or after a type 5 deferral the first edit of @original; for a
   * button, the message a type 7 update (or 6 + edit) left. Its `flags & 64` tells whether it is ephemeral.
   */
  reply(options?: WaitOptions): Promise<FakeMessage> {
    return this.wait(() => this.record.original, {
      description: `a reply to interaction ${this.id}`,
      ...options,
    });
  }

  /** Autocomplete choices from a type 8 callback. */
  async choices(options?: WaitOptions): Promise<AutocompleteChoice[]> {
    const callback = await this.callback(options);
    if (callback.type !== 8)
      throw new Error(
        `fake discord: expected an autocomplete result (8), got callback type ${callback.type}`,
      );
    return (callback.data.choices ?? []) as AutocompleteChoice[];
  }

  /** The n-th follow-up message (POST /webhooks/:appId/:token), counting from 0. */
  followUp(index = 0, options?: WaitOptions): Promise<FakeMessage> {
    return this.wait(() => this.record.followUps[index], {
      description: `follow-up ${index} of interaction ${this.id}`,
      ...options,
    });
  }
}
