package io.inos.campaign;

import io.inos.graceful.Code;
import io.inos.graceful.OutcomeException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@code campaign} table and the {@code master} rows behind it, over the reactive PostgreSQL client.
 *
 * <p>Every write runs in one transaction (a campaign and its master row are created and deleted together), so a
 * failure, including a connection lost half-way, leaves nothing half-written. Every failure is an
 * {@link OutcomeException}: NOT_FOUND, ALREADY_EXISTS (slug), FAILED_PRECONDITION (state move, default campaign),
 * or a database failure classified by {@link PgFailures} (UNAVAILABLE when PostgreSQL cannot be reached, and while
 * the pool supplier has no pool yet).
 */
public final class CampaignRepository {

  private static final String SELECT = "SELECT " + Campaign.COLUMNS
    + " FROM campaign c JOIN master m ON m.id = c.master_id";

  private final Supplier<Pool> pool;

  /**
   * @param pool supplies the pool; it may return {@code null} while the database is not up yet, and calls then
   *             fail with UNAVAILABLE
   */
  public CampaignRepository(Supplier<Pool> pool) {
    this.pool = Objects.requireNonNull(pool, "pool");
  }

  /** @param pool the pool */
  public CampaignRepository(Pool pool) {
    this(() -> pool);
  }

  /** A page of campaigns and how many there are in all. */
  public record CampaignPage(List<Campaign> campaigns, long totalCount) {
  }

  /** A campaign before and after a change. */
  public record CampaignUpdate(Campaign previous, Campaign current) {
  }

  /**
   * Creates a campaign and its master row ({@code type 'campaign'}, {@code name} = slug).
   *
   * @return the stored campaign; ALREADY_EXISTS when the slug is taken
   */
  public Future<Campaign> create(CampaignDraft draft) {
    return inTransaction(conn -> conn
      .preparedQuery("INSERT INTO master (type, name) VALUES ('campaign', $1) RETURNING id")
      .execute(Tuple.of(draft.slug()))
      .compose(master -> conn.preparedQuery("INSERT INTO campaign (master_id, slug, title, description, status, "
          + "state, features, config, metadata, owner_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id")
        .execute(Tuple.tuple()
          .addLong(master.iterator().next().getLong("id"))
          .addString(draft.slug())
          .addString(draft.title())
          .addString(draft.description())
          .addString(draft.status())
          .addString(draft.state().wire())
          .addValue(draft.features())
          .addValue(draft.config())
          .addValue(draft.metadata())
          .addString(draft.ownerId())))
      .compose(inserted -> select(conn, CampaignRef.byId(inserted.iterator().next().getLong("id")), false)))
      .recover(error -> PgFailures.isUniqueViolation(error)
        ? Future.failedFuture(OutcomeException.of(Code.ALREADY_EXISTS,
        "a campaign with slug '" + draft.slug() + "' already exists"))
        : Future.failedFuture(error));
  }

  /** @return the campaign; NOT_FOUND when there is none */
  public Future<Campaign> find(CampaignRef ref) {
    return withPool(p -> select(p, ref, false));
  }

  /**
   * Changes the given fields (and {@code updated_at}, also on the master row). A new state must be reachable from
   * the stored one ({@link CampaignState#canMoveTo}), else FAILED_PRECONDITION; a stored state this version does
   * not know may be replaced by any state.
   *
   * @return the campaign before and after; NOT_FOUND when there is none
   */
  public Future<CampaignUpdate> update(CampaignRef ref, CampaignChanges changes) {
    return inTransaction(conn -> select(conn, ref, true).compose(previous -> {
      checkMove(previous, changes.state());
      List<String> sets = new ArrayList<>();
      Tuple params = Tuple.tuple().addLong(previous.id());
      set(sets, params, "title", changes.title());
      set(sets, params, "description", changes.description());
      set(sets, params, "status", changes.status());
      set(sets, params, "state", changes.state() == null ? null : changes.state().wire());
      set(sets, params, "features", changes.features());
      set(sets, params, "config", changes.config());
      set(sets, params, "metadata", changes.metadata());
      sets.add("updated_at = now()");
      String sql = "UPDATE campaign SET " + String.join(", ", sets) + " WHERE id = $1";
      return touchMaster(conn, previous)
        .compose(v -> conn.preparedQuery(sql).execute(params))
        .compose(v -> select(conn, CampaignRef.byId(previous.id()), false))
        .map(current -> new CampaignUpdate(previous, current));
    }));
  }

  /**
   * Merges {@code config} into the stored configuration, key by key at the top level (PostgreSQL {@code jsonb ||}):
   * given keys replace stored ones, the others stay.
   *
   * @return the campaign before and after; NOT_FOUND when there is none
   */
  public Future<CampaignUpdate> mergeConfig(CampaignRef ref, JsonObject config) {
    return inTransaction(conn -> select(conn, ref, true).compose(previous -> touchMaster(conn, previous)
      .compose(v -> conn.preparedQuery("UPDATE campaign SET config = config || $2::jsonb, updated_at = now() "
        + "WHERE id = $1").execute(Tuple.of(previous.id(), config)))
      .compose(v -> select(conn, CampaignRef.byId(previous.id()), false))
      .map(current -> new CampaignUpdate(previous, current))));
  }

  /**
   * Deletes a campaign and its master row.
   *
   * @return the deleted campaign; NOT_FOUND when there is none, FAILED_PRECONDITION for the default campaign
   */
  public Future<Campaign> delete(CampaignRef ref) {
    if (ref.id() != null && ref.id() == Campaign.DEFAULT_ID) {
      return Future.failedFuture(defaultCannotBeDeleted());
    }
    return inTransaction(conn -> select(conn, ref, true).compose(campaign -> {
      if (campaign.isDefault()) {
        return Future.failedFuture(defaultCannotBeDeleted());
      }
      return conn.preparedQuery("DELETE FROM campaign WHERE id = $1").execute(Tuple.of(campaign.id()))
        .compose(v -> conn.preparedQuery("DELETE FROM master WHERE id = $1").execute(Tuple.of(campaign.masterId())))
        .map(campaign);
    }));
  }

  /**
   * @param page     1-based page number
   * @param pageSize campaigns per page
   * @return the page, ordered by id, and the total count (two statements: under concurrent writes the count may
   *     differ by the changes made between them)
   */
  public Future<CampaignPage> list(int page, int pageSize) {
    long offset = (long) (page - 1) * pageSize;
    return withPool(p -> p.query("SELECT count(*) AS total FROM campaign").execute()
      .compose(count -> p.preparedQuery(SELECT + " ORDER BY c.id LIMIT $1 OFFSET $2")
        .execute(Tuple.of(pageSize, offset))
        .map(rows -> {
          List<Campaign> campaigns = new ArrayList<>(rows.size());
          rows.forEach(row -> campaigns.add(Campaign.fromRow(row)));
          return new CampaignPage(campaigns, count.iterator().next().getLong("total"));
        })));
  }

  private static void checkMove(Campaign campaign, CampaignState target) {
    if (target == null) {
      return;
    }
    CampaignState stored = CampaignState.ofWire(campaign.state());
    if (stored != null && !stored.canMoveTo(target)) {
      String allowed = stored.next().isEmpty() ? "it is final"
        : "allowed: " + String.join(", ", stored.next().stream().map(CampaignState::wire).toList());
      throw OutcomeException.of(Code.FAILED_PRECONDITION, "campaign " + campaign.id() + " cannot move from state '"
        + stored.wire() + "' to '" + target.wire() + "' (" + allowed + ")");
    }
  }

  private static void set(List<String> sets, Tuple params, String column, Object value) {
    if (value != null) {
      params.addValue(value);
      sets.add(column + " = $" + params.size());
    }
  }

  private static Future<RowSet<Row>> touchMaster(SqlConnection conn, Campaign campaign) {
    return conn.preparedQuery("UPDATE master SET updated_at = now() WHERE id = $1")
      .execute(Tuple.of(campaign.masterId()));
  }

  private static Future<Campaign> select(SqlClient client, CampaignRef ref, boolean forUpdate) {
    String sql = SELECT + " WHERE " + ref.condition(1) + (forUpdate ? " FOR UPDATE OF c" : "");
    return client.preparedQuery(sql).execute(Tuple.of(ref.value())).compose(rows -> rows.size() == 0
      ? Future.failedFuture(OutcomeException.of(Code.NOT_FOUND, ref + " does not exist"))
      : Future.succeededFuture(Campaign.fromRow(rows.iterator().next())));
  }

  private static OutcomeException defaultCannotBeDeleted() {
    return OutcomeException.of(Code.FAILED_PRECONDITION, "the default campaign " + Campaign.DEFAULT_ID + " ('"
      + Campaign.DEFAULT_SLUG + "') cannot be deleted");
  }

  private <T> Future<T> inTransaction(Function<SqlConnection, Future<T>> work) {
    return withPool(p -> p.withTransaction(work));
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
