package io.inos.nexus;

import io.inos.graceful.Pipeline;
import io.inos.nexus.impl.NexusImpl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The Nexus: INOS's event substrate on the Vert.x event bus.
 *
 * <ul>
 *   <li>{@link #publish} delivers an event to the subscribers of its type and to its client scope
 *   ({@code user:{id}} or {@code campaign:{id}}, see {@link Addresses}).</li>
 *   <li>{@link #request} sends a {@code :requested} event to its service, wherever it runs, and completes with the
 *   {@code :success} event or fails with an {@link io.inos.graceful.OutcomeException} (the failure outcome, or
 *   DEADLINE_EXCEEDED, NOT_FOUND for an unknown service, UNIMPLEMENTED for an unknown action).</li>
 *   <li>{@link #serve} hosts a service: for each request the host emits {@code :started}, runs the handler, then
 *   emits {@code :success} or {@code :failed} through the {@code graceful} pipeline, whatever the handler does
 *   (throws, fails, never answers). A duplicate event id is processed once, while it runs and for
 *   {@link NexusOptions#getDuplicateWindowMs()} after: its duplicates get the same answer (while it runs, and after
 *   as long as it is one of the {@link NexusOptions#getDuplicateAnswerCapacity()} most recent answers; else they are
 *   refused ALREADY_EXISTS, naming the answer), and another request that reuses the id (another type or user) is
 *   answered ALREADY_EXISTS. An id that comes again after its window is processed again.</li>
 * </ul>
 * Several Nexus instances may share one Vert.x instance.
 */
public interface Nexus {

  static Nexus create(Vertx vertx) {
    return new NexusImpl(vertx, new NexusOptions());
  }

  static Nexus create(Vertx vertx, NexusOptions options) {
    return new NexusImpl(vertx, new NexusOptions(options));
  }

  Vertx vertx();

  NexusOptions options();

  /**
   * Publishes {@code event} to the subscribers of its type and to its client scope. A {@code :requested} event is
   * instead sent to one host of its service, fire and forget: it is processed once, and its outcome is published
   * like any other.
   */
  void publish(Event event);

  /** {@link #request(Event, long)} with the default timeout. */
  Future<Event> request(Event requested);

  /**
   * @param requested an event whose type is {@code {service}:{action}:v{n}:requested}
   * @param timeoutMs how long to wait for the outcome
   * @return the {@code :success} event, or a failure with the outcome
   */
  Future<Event> request(Event requested, long timeoutMs);

  /**
   * Like {@link #request(Event, long)}, but completes with the answer whatever it is, {@code :success} or
   * {@code :failed}; it fails only when no service answered (DEADLINE_EXCEEDED, NOT_FOUND, UNIMPLEMENTED) or the
   * request was malformed. Protocol edges use it to hand the caller the very event the service made.
   */
  Future<Event> exchange(Event requested, long timeoutMs);

  /**
   * Hosts a service on this node. Completes when its inboxes are registered (cluster-wide when clustered).
   * All its inboxes share one context: the caller's when called on a Vert.x thread (so a verticle that serves a
   * service stops it when undeployed), else a new event-loop context.
   *
   * @return a binding whose {@link ServiceBinding#close()} stops serving
   */
  Future<ServiceBinding> serve(ServiceDefinition service);

  /** @return the default outcome pipeline; services change it through {@link ServiceDefinition#pipeline()} */
  Pipeline pipeline();

  /** A hosted service. */
  interface ServiceBinding {
    ServiceDefinition definition();

    /**
     * Stops taking requests: the inboxes are unregistered, and a request that still reaches the host is answered
     * UNAVAILABLE. Requests already running still finish and are answered.
     *
     * @return completes once the inboxes are gone and no request is running; calling it again returns the same
     * future
     */
    Future<Void> close();
  }
}
