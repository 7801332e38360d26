package io.inos.device;

import io.inos.campaign.PgFailures;
import io.inos.graceful.Code;
import io.inos.graceful.OutcomeException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@code device} table and the {@code master} rows behind it. Failures are {@link OutcomeException}s:
 * ALREADY_EXISTS (user name taken), NOT_FOUND, or a database failure classified by {@link PgFailures} (UNAVAILABLE
 * while the pool supplier has no pool yet or PostgreSQL cannot be reached).
 */
public final class DeviceRepository {

  /** A device with its stored password hash, for the login check only. */
  /**
   * One page of devices, newest first.
   *
   * @param devices    the devices of the page
   * @param totalCount how many devices there are in all (of the owner, when listed by owner)
   */
  public record DevicePage(List<Device> devices, long totalCount) {
  }

  public record Credentials(Device device, String passwordHash) {
    @Override
    public String toString() {
      return "Credentials[" + device.username() + "]";
    }
  }

  private final Supplier<Pool> pool;

  /** @param pool supplies the pool; it may return {@code null} while the database is not up (UNAVAILABLE then) */
  public DeviceRepository(Supplier<Pool> pool) {
    this.pool = Objects.requireNonNull(pool, "pool");
  }

  /**
   * Stores a device and its master row ({@code type 'device'}, {@code name} = user name), in one transaction.
   *
   * @param passwordHash the BCrypt hash of its password
   * @return the stored device; ALREADY_EXISTS when the user name is taken
   */
  public Future<Device> insert(DeviceDraft draft, String passwordHash) {
    return withPool(p -> p.withTransaction(conn -> conn
      .preparedQuery("INSERT INTO master (type, name, metadata) VALUES ('device', $1, $2) RETURNING id")
      .execute(Tuple.of(draft.username(), draft.metadata()))
      .compose(master -> conn.preparedQuery("INSERT INTO device (master_id, username, password_hash, user_id, roles, "
          + "campaigns, metadata, owner_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING " + Device.COLUMNS)
        .execute(Tuple.tuple()
          .addLong(master.iterator().next().getLong("id"))
          .addString(draft.username())
          .addString(passwordHash)
          .addString(draft.userId())
          .addArrayOfString(draft.roles().toArray(String[]::new))
          .addArrayOfString(draft.campaigns().toArray(String[]::new))
          .addValue(draft.metadata())
          .addString(draft.ownerId())))
      .map(rows -> Device.fromRow(rows.iterator().next()))))
      .recover(error -> error instanceof OutcomeException oe && oe.outcome().code() == Code.ALREADY_EXISTS
        ? Future.failedFuture(OutcomeException.of(Code.ALREADY_EXISTS,
        "a device with user name '" + draft.username() + "' already exists"))
        : Future.failedFuture(error));
  }

  /** @return the device and its hash, or {@code null} when no device has this user name */
  public Future<Credentials> credentials(String username) {
    return withPool(p -> p.preparedQuery("SELECT " + Device.COLUMNS + ", password_hash FROM device WHERE username = $1")
      .execute(Tuple.of(username))
      .map(rows -> {
        if (rows.size() == 0) {
          return null;
        }
        Row row = rows.iterator().next();
        return new Credentials(Device.fromRow(row), row.getString("password_hash"));
      }));
  }

  /** @return the device; NOT_FOUND when there is none */
  public Future<Device> find(String username) {
    return credentials(username).compose(found -> found == null ? Future.failedFuture(notFound(username))
      : Future.succeededFuture(found.device()));
  }

  /** Enables or disables a device: a disabled device cannot log in. @return the device; NOT_FOUND when none */
  public Future<Device> setEnabled(String username, boolean enabled) {
    return withPool(p -> p.preparedQuery("UPDATE device SET enabled = $2, updated_at = now() WHERE username = $1 "
        + "RETURNING " + Device.COLUMNS)
      .execute(Tuple.of(username, enabled))
      .compose(rows -> rows.size() == 0 ? Future.failedFuture(notFound(username))
        : Future.succeededFuture(Device.fromRow(rows.iterator().next()))));
  }

  /** @return the device; NOT_FOUND when there is none */
  public Future<Device> find(long id) {
    return withPool(p -> p.preparedQuery("SELECT " + Device.COLUMNS + " FROM device WHERE id = $1")
      .execute(Tuple.of(id))
      .compose(rows -> rows.size() == 0 ? Future.failedFuture(notFound(id))
        : Future.succeededFuture(Device.fromRow(rows.iterator().next()))));
  }

  /** Enables or disables a device by id. @return the device; NOT_FOUND when none */
  public Future<Device> setEnabled(long id, boolean enabled) {
    return withPool(p -> p.preparedQuery("UPDATE device SET enabled = $2, updated_at = now() WHERE id = $1 "
        + "RETURNING " + Device.COLUMNS)
      .execute(Tuple.of(id, enabled))
      .compose(rows -> rows.size() == 0 ? Future.failedFuture(notFound(id))
        : Future.succeededFuture(Device.fromRow(rows.iterator().next()))));
  }

  /**
   * @param ownerId  whose devices; {@code null} = every device
   * @param page     from 1
   * @param pageSize devices per page
   * @return the page, newest first
   */
  public Future<DevicePage> list(String ownerId, int page, int pageSize) {
    String where = ownerId == null ? "" : " WHERE owner_id = $3";
    Tuple params = Tuple.of(pageSize, (long) (page - 1) * pageSize);
    if (ownerId != null) {
      params.addString(ownerId);
    }
    // the count in the same statement, so the page and its total agree
    return withPool(p -> p.preparedQuery("SELECT " + Device.COLUMNS + ", count(*) OVER () AS total_count FROM device"
        + where + " ORDER BY id DESC LIMIT $1 OFFSET $2")
      .execute(params)
      .compose(rows -> {
        List<Device> devices = new ArrayList<>();
        long total = -1;
        for (Row row : rows) {
          devices.add(Device.fromRow(row));
          total = row.getLong("total_count");
        }
        // a page past the end has no row to carry the total: count on its own then
        return total >= 0 || page == 1 ? Future.succeededFuture(new DevicePage(devices, Math.max(total, 0)))
          : count(p, ownerId).map(n -> new DevicePage(devices, n));
      }));
  }

  private static Future<Long> count(Pool p, String ownerId) {
    return (ownerId == null ? p.query("SELECT count(*) AS n FROM device").execute()
      : p.preparedQuery("SELECT count(*) AS n FROM device WHERE owner_id = $1").execute(Tuple.of(ownerId)))
      .map(rows -> rows.iterator().next().getLong("n"));
  }

  private static OutcomeException notFound(long id) {
    return OutcomeException.of(Code.NOT_FOUND, "no device with id " + id);
  }

  private static OutcomeException notFound(String username) {
    return OutcomeException.of(Code.NOT_FOUND, "no device with user name '" + username + "'");
  }

  private <T> Future<T> withPool(Function<Pool, Future<T>> work) {
    Pool current = pool.get();
    if (current == null) {
      return Future.failedFuture(OutcomeException.of(Code.UNAVAILABLE, PgFailures.UNAVAILABLE_MESSAGE));
    }
    try {
      return work.apply(current).recover(PgFailures::fail);
    } catch (RuntimeException e) {
      return PgFailures.fail(e);
    }
  }
}
