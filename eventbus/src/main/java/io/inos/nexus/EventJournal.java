package io.inos.nexus;

/**
 * Where the Nexus records every lifecycle event (the ledger). {@link #record} must not block and must not wait
 * for storage: implementations queue and write in batches off the request path.
 */
@FunctionalInterface
public interface EventJournal {

  /** A journal that keeps nothing. */
  EventJournal NONE = event -> { };

  void record(Event event);
}
