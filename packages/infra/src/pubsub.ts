import { EventEmitter } from 'node:events';
import { type Redis } from 'ioredis';
import { type PubSub, type Unsubscribe } from './types';

export interface PubSubOptions {
  /** Where a throwing handler's error goes; other handlers still get the message. */
  onHandlerError?: (error: unknown, channel: string) => void;
}

export interface RedisPubSubOptions extends PubSubOptions {
  /** Namespaces every channel. */
  prefix: string;
  /** Errors of the subscriber connection, which reconnects and resubscribes on its own. */
  onConnectionError?: (error: Error) => void;
}

const logHandlerError = (error: unknown, channel: string) =>
  console.error(`pubsub handler for channel "${channel}" threw`, error);

function deliver(
  handlers: Iterable<(message: string) => void>,
  channel: string,
  message: string,
  onError: (error: unknown, channel: string) => void,
) {
  for (const handler of handlers) {
    try {
      handler(message);
    } catch (error) {
      onError(error, channel);
    }
  }
}

/** In-process only. Delivery is asynchronous, as it is with Redis. */
export function createMemoryPubSub(options: PubSubOptions = {}): PubSub {
  const onError = options.onHandlerError ?? logHandlerError;
  const emitter = new EventEmitter().setMaxListeners(0);
  return {
    async publish(channel, message) {
      queueMicrotask(() => emitter.emit(channel, message));
    },
    async subscribe(channel, handler) {
      // A wrapper per subscription, so subscribing the same function twice unsubscribes once each.
      const listener = (message: string) => deliver([handler], channel, message, onError);
      emitter.on(channel, listener);
      return async () => {
        emitter.off(channel, listener);
      };
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
}

/**
 * Publishes on the caller's connection (left open on close) and subscribes on a duplicate of it,
 * created on the first subscribe and closed by close(). Channels are namespaced by `prefix`.
 */
export function createRedisPubSub(redis: Redis, options: RedisPubSubOptions): PubSub {
  const onError = options.onHandlerError ?? logHandlerError;
  const subscriptions = new Map<string, Set<(message: string) => void>>();
  let subscriber: Redis | undefined;

  const connectSubscriber = () => {
    if (subscriber) return subscriber;
    subscriber = redis.duplicate();
    subscriber.on(
      'error',
      options.onConnectionError ?? ((error: Error) => console.error('pubsub connection error', error)),
    );
    subscriber.on('message', (redisChannel: string, message: string) => {
      const channel = redisChannel.slice(options.prefix.length);
      const handlers = subscriptions.get(channel);
      if (handlers) deliver([...handlers], channel, message, onError);
    });
    return subscriber;
  };

  return {
    async publish(channel, message) {
      await redis.publish(options.prefix + channel, message);
    },
    async subscribe(channel, handler): Promise<Unsubscribe> {
      const connection = connectSubscriber();
      const listener = (message: string) => handler(message);
      let handlers = subscriptions.get(channel);
      if (!handlers) {
        handlers = new Set();
        subscriptions.set(channel, handlers);
      }
      handlers.add(listener);
      // Commands on one connection run in order, so a SUBSCRIBE racing an UNSUBSCRIBE still ends
      // in the state the handler sets describe.
      if (handlers.size === 1) {
        try {
          await connection.subscribe(options.prefix + channel);
        } catch (error) {
          handlers.delete(listener);
          if (subscriptions.get(channel)?.size === 0) subscriptions.delete(channel);
          throw error;
        }
      }
      return async () => {
        const current = subscriptions.get(channel);
        if (!current?.delete(listener) || current.size > 0) return;
        subscriptions.delete(channel);
        await connection.unsubscribe(options.prefix + channel);
      };
    },
    async close() {
      subscriptions.clear();
      const connection = subscriber;
      subscriber = undefined;
      if (connection?.status === 'ready') await connection.quit();
      else connection?.disconnect();
    },
  };
}
