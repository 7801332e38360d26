package io.inos.campaign;

import io.inos.graceful.Code;
import io.inos.graceful.Outcome;
import io.inos.graceful.OutcomeException;
import io.vertx.core.Future;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;

import java.io.IOException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;

/**
 * How a failure of the reactive PostgreSQL client becomes an outcome, in one place, so that every service answers
 * the same way:
 * <ul>
 *   <li>PostgreSQL unreachable, a connection lost during a request, no pooled connection within the pool's
 *   timeout, or PostgreSQL refusing work (SQLSTATE classes 08 and 53, 57P01–57P03) → {@link Code#UNAVAILABLE}
 *   with the message {@value #UNAVAILABLE_MESSAGE} (callers may retry);</li>
 *   <li>serialization failure or deadlock (40001, 40P01) → {@link Code#ABORTED} (retry the whole operation);</li>
 *   <li>unique violation (23505) → {@link Code#ALREADY_EXISTS}; foreign-key violation (23503) →
 *   {@link Code#FAILED_PRECONDITION}; other integrity and data errors (class 22, 23502, 23514) →
 *   {@link Code#INVALID_ARGUMENT}; query cancelled (57014) → {@link Code#DEADLINE_EXCEEDED};</li>
 *   <li>any other error → {@link Code#INTERNAL}, with the SQLSTATE but without PostgreSQL's text (which may quote
 *   data and schema); the error stays attached as the outcome's cause for the logs.</li>
 * </ul>
 * An {@link OutcomeException} passes through unchanged: a repository may fail with a precise outcome of its own.
 * Services that want a more precise message (e.g. which slug exists) test {@link #isUniqueViolation} first.
 */
public final class PgFailures {

  /** The message of every {@link Code#UNAVAILABLE} this class makes. */
  public static final String UNAVAILABLE_MESSAGE = "the database is unavailable";

  /** SQLSTATE unique_violation. */
  public static final String UNIQUE_VIOLATION = "23505";
  /** SQLSTATE foreign_key_violation. */
  public static final String FOREIGN_KEY_VIOLATION = "23503";

  private PgFailures() {
  }

  /**
   * @param error a failure of a query, a transaction or a pool
   * @return the outcome exception describing it (the same exception when it already is one)
   */
  public static OutcomeException toOutcome(Throwable error) {
    if (error instanceof OutcomeException oe) {
      return oe;
    }
    Code code = codeOf(error);
    String state = sqlState(error);
    String message = switch (code) {
      case UNAVAILABLE -> UNAVAILABLE_MESSAGE;
      case ABORTED -> "the database aborted the transaction (SQLSTATE " + state + "); retry it";
      case DEADLINE_EXCEEDED -> "the database cancelled the statement (SQLSTATE " + state + ")";
      default -> state == null ? "database error" : "database error (SQLSTATE " + state + ")";
    };
    return new OutcomeException(Outcome.failure(code, message).withCause(error));
  }

  /**
   * A {@code recover} step: {@code repository.call().recover(PgFailures::fail)}.
   *
   * @param error the failure
   * @return a future failed with {@link #toOutcome(Throwable)}
   */
  public static <T> Future<T> fail(Throwable error) {
    return Future.failedFuture(toOutcome(error));
  }

  /** @return the code for {@code error}, see the class description */
  public static Code codeOf(Throwable error) {
    if (error instanceof OutcomeException oe) {
      return oe.code();
    }
    String state = sqlState(error);
    if (state != null) {
      return codeOfSqlState(state);
    }
    return isConnectionFailure(error) ? Code.UNAVAILABLE : Code.INTERNAL;
  }

  /** @return whether {@code error} means the database could not be reached or the connection was lost */
  public static boolean isUnavailable(Throwable error) {
    return codeOf(error) == Code.UNAVAILABLE;
  }

  /** @return whether {@code error} is a unique violation (SQLSTATE 23505) */
  public static boolean isUniqueViolation(Throwable error) {
    return UNIQUE_VIOLATION.equals(sqlState(error));
  }

  /** @return the SQLSTATE of the first database error in the cause chain, or {@code null} */
  public static String sqlState(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof DatabaseException db && db.getSqlState() != null) {
        return db.getSqlState();
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  /** @return the code of a SQLSTATE, see the class description */
  public static Code codeOfSqlState(String state) {
    if (state.startsWith("08") || state.startsWith("53")
      || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
      return Code.UNAVAILABLE;
    }
    if (state.equals("40001") || state.equals("40P01")) {
      return Code.ABORTED;
    }
    if (state.equals(UNIQUE_VIOLATION)) {
      return Code.ALREADY_EXISTS;
    }
    if (state.equals(FOREIGN_KEY_VIOLATION)) {
      return Code.FAILED_PRECONDITION;
    }
    if (state.startsWith("22") || state.equals("23502") || state.equals("23514")) {
      return Code.INVALID_ARGUMENT;
    }
    if (state.equals("57014")) {
      return Code.DEADLINE_EXCEEDED;
    }
    return Code.INTERNAL;
  }

  private static boolean isConnectionFailure(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      // ConnectException (refused, and Netty's connect timeout), resets, closed channels, unknown hosts
      if (t instanceof IOException || t instanceof ClosedConnectionException
        || t instanceof ClosedChannelException || t instanceof UnknownHostException
        || t instanceof ConnectionPoolTooBusyException) {
        return true;
      }
      // the pool's own wait timeout is a plain VertxException with only this text to tell it apart
      String message = t.getMessage();
      if (message != null && (message.startsWith("Timeout waiting for connection") || message.equals("Pool closed"))) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
