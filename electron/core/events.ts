import type { WorkbenchEvent } from '../shared/events.ts';

export type Listener = (event: WorkbenchEvent) => void;

/** Fan-out of core events to every adapter. A throwing listener never breaks the others. */
export class EventBus {
  readonly #listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: WorkbenchEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // an adapter's failure to deliver is its own problem
      }
    }
  }
}
