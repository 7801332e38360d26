package io.inos.campaign;

import io.inos.graceful.Code;
import io.inos.nexus.Event;
import io.inos.nexus.Nexus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The campaign service through the Nexus, against a database of its own on the real PostgreSQL: every action's
 * success (rows checked with SQL, campaign and master) and errors.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class CampaignServiceTest {

  private static CampaignDatabase db;
  private static Pool servicePool;
  private static Pool checker;
  private static Nexus nexus;
  private static CampaignCalls calls;

  @BeforeAll
  static void deploy(Vertx vertx, VertxTestContext ctx) {
    nexus = Nexus.create(vertx);
    calls = new CampaignCalls(nexus);
    CampaignDatabase.create(vertx)
      .compose(created -> {
        db = created;
        servicePool = db.servicePool(5432);
        checker = db.directPool();
        return vertx.deployVerticle(new CampaignVerticle(nexus, () -> servicePool));
      })
      .onComplete(ctx.succeedingThenComplete());
  }

  @AfterAll
  static void dropDatabase(VertxTestContext ctx) {
    Future<Void> closed = Future.join(servicePool == null ? Future.succeededFuture() : servicePool.close(),
      checker == null ? Future.succeededFuture() : checker.close()).mapEmpty();
    closed.eventually(() -> db == null ? Future.succeededFuture() : db.drop()).onComplete(ctx.succeedingThenComplete());
  }

  private static String slug(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static Future<RowSet<Row>> sql(String sql, Object... params) {
    return checker.preparedQuery(sql).execute(Tuple.wrap(params));
  }

  private static Future<Row> campaignRow(long id) {
    return sql("SELECT c.*, m.type AS m_type, m.name AS m_name, m.uuid AS m_uuid FROM campaign c "
      + "JOIN master m ON m.id = c.master_id WHERE c.id = $1", id)
      .map(rows -> rows.size() == 0 ? null : rows.iterator().next());
  }

  private static Future<JsonObject> create(String slug) {
    return calls.campaign("create_campaign", new JsonObject().put("slug", slug).put("title", "Title of " + slug));
  }

  @Test
  void theDefaultCampaignIsSeeded(VertxTestContext ctx) {
    calls.campaign("get_campaign", new JsonObject().put("id", 0))
      .compose(byId -> {
        assertEquals(0L, byId.getLong("id"));
        assertEquals(Campaign.DEFAULT_SLUG, byId.getString("slug"));
        assertEquals("active", byId.getString("state"));
        return calls.campaign("get_campaign", new JsonObject().put("slug", Campaign.DEFAULT_SLUG))
          .map(bySlug -> {
            assertEquals(byId, bySlug);
            return byId;
          });
      })
      .compose(c -> campaignRow(0).map(row -> {
        assertNotNull(row, "campaign 0 is in the table");
        assertEquals("campaign", row.getString("m_type"));
        assertEquals(Campaign.DEFAULT_SLUG, row.getString("m_name"));
        assertEquals(c.getString("uuid"), row.getUUID("m_uuid").toString());
        assertEquals(c.getLong("master_id"), row.getLong("master_id"));
        return row;
      }))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void createStoresTheCampaignAndItsMasterRowInOneGo(VertxTestContext ctx) {
    String slug = slug("summer");
    JsonObject data = new JsonObject()
      .put("slug", slug)
      .put("title", "Summer sale")
      .put("description", "Everything must go")
      .put("status", "active")
      .put("state", "active")
      .put("features", new JsonArray().add("referral").add("notification").add("referral"))
      .put("config", new JsonObject().put("theme", "dark").put("views", new JsonArray().add("home")))
      .put("metadata", new JsonObject().put("tags", new JsonArray().add("sale")))
      .put("owner_id", "user-7")
      .put("an_unknown_field", 42);
    calls.campaign("create_campaign", data)
      .compose(c -> {
        assertTrue(c.getLong("id") > 0, "new ids come from the sequence, never 0");
        assertEquals(slug, c.getString("slug"));
        assertEquals("Summer sale", c.getString("title"));
        assertEquals("Everything must go", c.getString("description"));
        assertEquals("active", c.getString("state"));
        assertEquals(new JsonArray().add("referral").add("notification"), c.getJsonArray("features"),
          "duplicates dropped, order kept");
        assertEquals("dark", c.getJsonObject("config").getString("theme"));
        assertEquals("user-7", c.getString("owner_id"));
        assertNotNull(UUID.fromString(c.getString("uuid")));
        assertTrue(c.getString("created_at").endsWith("Z"), "RFC 3339 in UTC: " + c.getString("created_at"));
        return campaignRow(c.getLong("id")).map(row -> {
          assertNotNull(row);
          assertEquals(slug, row.getString("slug"));
          assertEquals("Summer sale", row.getString("title"));
          assertEquals("active", row.getString("status"));
          assertEquals("active", row.getString("state"));
          assertEquals(c.getJsonArray("features"), row.getJson("features"));
          assertEquals(data.getJsonObject("config"), row.getJson("config"));
          assertEquals(data.getJsonObject("metadata"), row.getJson("metadata"));
          assertEquals("user-7", row.getString("owner_id"));
          assertEquals("campaign", row.getString("m_type"));
          assertEquals(slug, row.getString("m_name"));
          assertEquals(c.getString("uuid"), row.getUUID("m_uuid").toString());
          assertEquals(c.getLong("master_id"), row.getLong("master_id"));
          return row;
        });
      })
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void createTakesTheGrpcFormAndDefaults(VertxTestContext ctx) {
    String slug = slug("nested");
    // the gRPC edge sends the CreateCampaignRequest shape: {"campaign": {...}}; the owner falls back to the user
    Event requested = Event.builder("campaign:create_campaign:v1:requested")
      .globalContext("user_id", "user-9")
      .data(new JsonObject().put("campaign", new JsonObject().put("slug", slug).put("title", "Nested")
        .put("id", "123456").put("uuid", "ignored")))
      .build();
    nexus.request(requested).map(e -> e.data().getJsonObject("campaign"))
      .map(c -> {
        assertEquals(slug, c.getString("slug"));
        assertTrue(c.getLong("id") != 123456L, "the id is assigned by the server");
        assertEquals("draft", c.getString("state"), "a new campaign starts as a draft");
        assertEquals("active", c.getString("status"));
        assertEquals(new JsonArray(), c.getJsonArray("features"));
        assertEquals(new JsonObject(), c.getJsonObject("config"));
        assertEquals("user-9", c.getString("owner_id"));
        assertNull(c.getString("description"));
        return c;
      })
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void createRefusesMissingAndInvalidFieldsNamingThem(VertxTestContext ctx) {
    String slug = slug("bad");
    JsonObject valid = new JsonObject().put("slug", slug).put("title", "T");
    List<Future<?>> checks = new ArrayList<>();
    checks.add(calls.failure("create_campaign", new JsonObject().put("title", "T"), Code.INVALID_ARGUMENT,
      "'slug' is required"));
    checks.add(calls.failure("create_campaign", valid.copy().put("slug", "Not A Slug!"), Code.INVALID_ARGUMENT,
      "'slug'"));
    checks.add(calls.failure("create_campaign", valid.copy().put("slug", "x".repeat(65)), Code.INVALID_ARGUMENT,
      "'slug'"));
    checks.add(calls.failure("create_campaign", valid.copy().put("slug", 12), Code.INVALID_ARGUMENT, "'slug'"));
    checks.add(calls.failure("create_campaign", new JsonObject().put("slug", slug), Code.INVALID_ARGUMENT,
      "'title' is required"));
    checks.add(calls.failure("create_campaign", valid.copy().put("title", "  "), Code.INVALID_ARGUMENT, "'title'"));
    checks.add(calls.failure("create_campaign", valid.copy().put("title", "t".repeat(201)), Code.INVALID_ARGUMENT,
      "'title' must be at most 200"));
    checks.add(calls.failure("create_campaign", valid.copy().put("description", 5), Code.INVALID_ARGUMENT,
      "'description'"));
    checks.add(calls.failure("create_campaign", valid.copy().put("status", "Loud Status"), Code.INVALID_ARGUMENT,
      "'status'"));
    checks.add(calls.failure("create_campaign", valid.copy().put("state", "flying"), Code.INVALID_ARGUMENT,
      "'state' must be one of draft, active, paused, archived"));
    checks.add(calls.failure("create_campaign", valid.copy().put("features", "referral"), Code.INVALID_ARGUMENT,
      "'features'"));
    checks.add(calls.failure("create_campaign", valid.copy().put("features", new JsonArray().add("a").add(7)),
      Code.INVALID_ARGUMENT, "'features[1]'"));
    checks.add(calls.failure("create_campaign", valid.copy().put("config", new JsonArray()), Code.INVALID_ARGUMENT,
      "'config' must be an object"));
    checks.add(calls.failure("create_campaign", valid.copy().put("metadata", "x"), Code.INVALID_ARGUMENT,
      "'metadata' must be an object"));
    checks.add(calls.failure("create_campaign", valid.copy().put("metadata", new JsonObject().put("tags", "x")),
      Code.INVALID_ARGUMENT, "'metadata' does not fit inos.common.v1.Metadata"));
    checks.add(calls.failure("create_campaign", new JsonObject().put("campaign", new JsonObject().put("slug", slug)),
      Code.INVALID_ARGUMENT, "'campaign.title' is required"));
    checks.add(calls.failure("create_campaign", new JsonObject().put("campaign", "x"), Code.INVALID_ARGUMENT,
      "'campaign' must be an object"));
    Future.all(checks)
      .compose(v -> sql("SELECT (SELECT count(*) FROM campaign WHERE slug = $1) AS c, "
        + "(SELECT count(*) FROM master WHERE name = $1) AS m", slug))
      .map(rows -> {
        Row row = rows.iterator().next();
        assertEquals(0L, row.getLong("c"), "no campaign written");
        assertEquals(0L, row.getLong("m"), "no master row written");
        return row;
      })
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aDuplicateSlugIsAlreadyExistsAndLeavesNoMasterRowBehind(VertxTestContext ctx) {
    String slug = slug("twice");
    create(slug)
      .compose(first -> calls.failure("create_campaign", new JsonObject().put("slug", slug).put("title", "Again"),
        Code.ALREADY_EXISTS, "slug '" + slug + "' already exists"))
      .compose(e -> sql("SELECT (SELECT count(*) FROM campaign WHERE slug = $1) AS c, "
        + "(SELECT count(*) FROM master WHERE name = $1 AND type = 'campaign') AS m", slug))
      .map(rows -> {
        Row row = rows.iterator().next();
        assertEquals(1L, row.getLong("c"));
        assertEquals(1L, row.getLong("m"), "the second attempt's master row was rolled back with it");
        return row;
      })
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void getFindsByIdNumericStringOrSlug(VertxTestContext ctx) {
    String slug = slug("get");
    create(slug)
      .compose(c -> calls.campaign("get_campaign", new JsonObject().put("id", c.getLong("id")))
        .compose(byId -> calls.campaign("get_campaign", new JsonObject().put("id", c.getLong("id").toString()))
          .compose(byString -> calls.campaign("get_campaign", new JsonObject().put("slug", slug).put("id", "0"))
            .map(bySlug -> {
              assertEquals(c, byId);
              assertEquals(c, byString, "int64 as a string, as protobuf JSON prints it");
              assertEquals(c, bySlug, "the slug is used when the id is 0");
              return c;
            }))))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void getReportsNotFoundAndBadReferences(VertxTestContext ctx) {
    Future.all(List.of(
        calls.failure("get_campaign", new JsonObject().put("id", 987654321L), Code.NOT_FOUND,
          "campaign 987654321 does not exist"),
        calls.failure("get_campaign", new JsonObject().put("slug", "no-such-campaign"), Code.NOT_FOUND,
          "campaign 'no-such-campaign' does not exist"),
        calls.failure("get_campaign", new JsonObject(), Code.INVALID_ARGUMENT, "'id' or 'slug' is required"),
        calls.failure("get_campaign", new JsonObject().put("id", "abc"), Code.INVALID_ARGUMENT,
          "'id' must be an integer"),
        calls.failure("get_campaign", new JsonObject().put("id", 1.5), Code.INVALID_ARGUMENT, "'id'"),
        calls.failure("get_campaign", new JsonObject().put("id", -3), Code.INVALID_ARGUMENT,
          "'id' must not be negative"),
        calls.failure("get_campaign", new JsonObject().put("slug", "Bad Slug"), Code.INVALID_ARGUMENT, "'slug'")))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void updateChangesOnlyTheGivenFields(VertxTestContext ctx) {
    String slug = slug("upd");
    calls.campaign("create_campaign", new JsonObject().put("slug", slug).put("title", "Before")
        .put("description", "kept").put("features", new JsonArray().add("a")))
      .compose(c -> calls.campaign("update_campaign", new JsonObject().put("id", c.getLong("id"))
          .put("title", "After").put("campaign_metadata", new JsonObject().put("tags", new JsonArray().add("t")))
          .put("master_id", 999).put("slug", "ignored-as-a-change"))
        .compose(u -> {
          assertEquals("After", u.getString("title"));
          assertEquals("kept", u.getString("description"));
          assertEquals(new JsonArray().add("a"), u.getJsonArray("features"));
          assertEquals(c.getLong("master_id"), u.getLong("master_id"), "the master id cannot be changed");
          assertEquals(slug, u.getString("slug"));
          assertTrue(u.getString("updated_at").compareTo(c.getString("updated_at")) >= 0);
          return campaignRow(c.getLong("id"));
        })
        .map(row -> {
          assertEquals("After", row.getString("title"));
          assertEquals("kept", row.getString("description"));
          assertEquals(new JsonObject().put("tags", new JsonArray().add("t")), row.getJson("metadata"));
          assertEquals(slug, row.getString("m_name"));
          return row;
        }))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void updateReportsErrors(VertxTestContext ctx) {
    create(slug("upderr"))
      .compose(c -> Future.all(List.of(
        calls.failure("update_campaign", new JsonObject().put("id", 987654321L).put("title", "x"), Code.NOT_FOUND,
          "campaign 987654321 does not exist"),
        calls.failure("update_campaign", new JsonObject().put("id", c.getLong("id")), Code.INVALID_ARGUMENT,
          "nothing to update"),
        calls.failure("update_campaign", new JsonObject().put("id", c.getLong("id")).put("title", 3),
          Code.INVALID_ARGUMENT, "'title' must be a string"),
        calls.failure("update_campaign", new JsonObject().put("id", c.getLong("id")).put("state", "paused"),
          Code.FAILED_PRECONDITION, "cannot move from state 'draft' to 'paused'"))))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void deleteRemovesTheCampaignAndItsMasterRow(VertxTestContext ctx) {
    String slug = slug("del");
    create(slug)
      .compose(c -> calls.call("delete_campaign", new JsonObject().put("slug", slug))
        .compose(result -> {
          assertTrue(result.getBoolean("success"));
          assertEquals(c.getLong("id"), result.getLong("id"));
          return sql("SELECT (SELECT count(*) FROM campaign WHERE id = $1) AS c, "
            + "(SELECT count(*) FROM master WHERE id = $2) AS m", c.getLong("id"), c.getLong("master_id"));
        })
        .map(rows -> {
          assertEquals(0L, rows.iterator().next().getLong("c"));
          assertEquals(0L, rows.iterator().next().getLong("m"));
          return c;
        }))
      .compose(c -> calls.failure("delete_campaign", new JsonObject().put("id", c.getLong("id")), Code.NOT_FOUND,
        "does not exist"))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void theDefaultCampaignCannotBeDeleted(VertxTestContext ctx) {
    Future.all(
        calls.failure("delete_campaign", new JsonObject().put("id", 0), Code.FAILED_PRECONDITION,
          "cannot be deleted"),
        calls.failure("delete_campaign", new JsonObject().put("slug", Campaign.DEFAULT_SLUG),
          Code.FAILED_PRECONDITION, "cannot be deleted"))
      .compose(v -> campaignRow(0))
      .map(row -> {
        assertNotNull(row, "campaign 0 is still there");
        return row;
      })
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void listPagesInIdOrder(VertxTestContext ctx) {
    Future.all(create(slug("list")), create(slug("list")), create(slug("list")))
      .compose(v -> sql("SELECT count(*) AS n FROM campaign"))
      .compose(count -> {
        long total = count.iterator().next().getLong("n");
        JsonObject first = new JsonObject().put("page", 1).put("page_size", 2);
        return calls.call("list_campaigns", first)
          .compose(p1 -> calls.call("list_campaigns", new JsonObject().put("page", "2").put("page_size", "2"))
            .map(p2 -> {
              assertEquals(total, p1.getLong("total_count"));
              assertEquals(1, p1.getInteger("page"));
              assertEquals(2, p1.getInteger("page_size"));
              assertEquals((total + 1) / 2, p1.getLong("total_pages"));
              JsonArray a = p1.getJsonArray("campaigns");
              JsonArray b = p2.getJsonArray("campaigns");
              assertEquals(2, a.size());
              assertEquals(0L, a.getJsonObject(0).getLong("id"), "ordered by id: the default campaign first");
              assertTrue(a.getJsonObject(1).getLong("id") < b.getJsonObject(0).getLong("id"));
              assertTrue(b.getJsonObject(0).getLong("id") < b.getJsonObject(1).getLong("id"));
              return p2;
            }))
          .compose(v2 -> calls.call("list_campaigns", new JsonObject()))
          .map(defaults -> {
            assertEquals(1, defaults.getInteger("page"));
            assertEquals(20, defaults.getInteger("page_size"));
            assertEquals(Math.min(20, total), defaults.getJsonArray("campaigns").size());
            return defaults;
          })
          .compose(d -> calls.call("list_campaigns", new JsonObject().put("page", 100000).put("page_size", 100)))
          .map(beyond -> {
            assertTrue(beyond.getJsonArray("campaigns").isEmpty(), "a page past the end is empty, not an error");
            assertEquals(total, beyond.getLong("total_count"));
            return beyond;
          });
      })
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void listRefusesBadPaging(VertxTestContext ctx) {
    Future.all(List.of(
        calls.failure("list_campaigns", new JsonObject().put("page", -1), Code.INVALID_ARGUMENT, "'page'"),
        calls.failure("list_campaigns", new JsonObject().put("page_size", 101), Code.INVALID_ARGUMENT,
          "'page_size' must be between 1 and 100"),
        calls.failure("list_campaigns", new JsonObject().put("page_size", -5), Code.INVALID_ARGUMENT, "'page_size'"),
        calls.failure("list_campaigns", new JsonObject().put("page", "one"), Code.INVALID_ARGUMENT, "'page'"),
        calls.failure("list_campaigns", new JsonObject().put("page", 3_000_000_000L), Code.INVALID_ARGUMENT,
          "'page'")))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void stateMovesFollowTheLifecycleAndArchivedIsFinal(VertxTestContext ctx) {
    create(slug("state"))
      .compose(c -> {
        long id = c.getLong("id");
        return calls.call("get_campaign_state", new JsonObject().put("campaign_id", id))
          .compose(s -> {
            assertEquals("draft", s.getString("state"));
            return calls.failure("update_campaign_state", new JsonObject().put("campaign_id", id)
              .put("state", "paused"), Code.FAILED_PRECONDITION, "allowed: active, archived");
          })
          .compose(x -> moveTo(id, "active", "draft"))
          .compose(x -> moveTo(id, "paused", "active"))
          .compose(x -> moveTo(id, "paused", "paused"))
          .compose(x -> moveTo(id, "active", "paused"))
          .compose(x -> moveTo(id, "archived", "active"))
          .compose(x -> calls.failure("update_campaign_state", new JsonObject().put("campaign_id", id)
            .put("state", "active"), Code.FAILED_PRECONDITION, "it is final"))
          .compose(x -> Future.all(
            calls.failure("update_campaign_state", new JsonObject().put("campaign_id", id).put("state", "flying"),
              Code.INVALID_ARGUMENT, "'state' must be one of"),
            calls.failure("update_campaign_state", new JsonObject().put("campaign_id", id), Code.INVALID_ARGUMENT,
              "'state' is required"),
            calls.failure("update_campaign_state", new JsonObject().put("campaign_id", 987654321L)
              .put("state", "active"), Code.NOT_FOUND, "does not exist"),
            calls.failure("get_campaign_state", new JsonObject().put("campaign_id", 987654321L), Code.NOT_FOUND,
              "does not exist")))
          .compose(x -> campaignRow(id))
          .map(row -> {
            assertEquals("archived", row.getString("state"));
            return row;
          });
      })
      .onComplete(ctx.succeedingThenComplete());
  }

  private static Future<JsonObject> moveTo(long id, String state, String from) {
    return calls.call("update_campaign_state", new JsonObject().put("campaign_id", id).put("state", state))
      .compose(result -> {
        assertEquals(state, result.getString("state"));
        assertEquals(from, result.getString("previous_state"));
        assertEquals(state, result.getJsonObject("campaign").getString("state"));
        return campaignRow(id).map(row -> {
          assertEquals(state, row.getString("state"));
          return result;
        });
      });
  }

  @Test
  void featuresAreReplaced(VertxTestContext ctx) {
    create(slug("feat"))
      .compose(c -> calls.campaign("update_campaign_features", new JsonObject().put("campaign_id", c.getLong("id"))
          .put("features", new JsonArray().add("referral").add("search")))
        .compose(u -> calls.campaign("update_campaign_features", new JsonObject()
          .put("slug", c.getString("slug")).put("features", new JsonArray().add("commerce"))))
        .compose(u -> {
          assertEquals(new JsonArray().add("commerce"), u.getJsonArray("features"));
          return campaignRow(c.getLong("id"));
        })
        .map(row -> {
          assertEquals(new JsonArray().add("commerce"), row.getJson("features"));
          return row;
        }))
      .compose(row -> Future.all(
        calls.failure("update_campaign_features", new JsonObject().put("campaign_id", row.getLong("id")),
          Code.INVALID_ARGUMENT, "'features' is required"),
        calls.failure("update_campaign_features", new JsonObject().put("campaign_id", row.getLong("id"))
          .put("features", new JsonObject()), Code.INVALID_ARGUMENT, "'features' must be an array of strings"),
        calls.failure("update_campaign_features", new JsonObject().put("campaign_id", 987654321L)
          .put("features", new JsonArray()), Code.NOT_FOUND, "does not exist")))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void configIsReplacedOrMerged(VertxTestContext ctx) {
    calls.campaign("create_campaign", new JsonObject().put("slug", slug("conf")).put("title", "Conf")
        .put("config", new JsonObject().put("theme", "dark").put("lang", "en")))
      .compose(c -> {
        long id = c.getLong("id");
        return calls.campaign("update_campaign_config", new JsonObject().put("campaign_id", id)
            .put("config", new JsonObject().put("theme", "light")).put("merge", true))
          .compose(merged -> {
            assertEquals(new JsonObject().put("theme", "light").put("lang", "en"), merged.getJsonObject("config"));
            return calls.campaign("update_campaign_config", new JsonObject().put("campaign_id", id)
              .put("config", new JsonObject().put("layout", "grid")));
          })
          .compose(replaced -> {
            assertEquals(new JsonObject().put("layout", "grid"), replaced.getJsonObject("config"));
            return campaignRow(id);
          })
          .map(row -> {
            assertEquals(new JsonObject().put("layout", "grid"), row.getJson("config"));
            return row;
          })
          .compose(row -> Future.all(
            calls.failure("update_campaign_config", new JsonObject().put("campaign_id", id).put("config", "x"),
              Code.INVALID_ARGUMENT, "'config' must be an object"),
            calls.failure("update_campaign_config", new JsonObject().put("campaign_id", id),
              Code.INVALID_ARGUMENT, "'config' is required"),
            calls.failure("update_campaign_config", new JsonObject().put("campaign_id", id)
              .put("config", new JsonObject()).put("merge", "yes"), Code.INVALID_ARGUMENT, "'merge'")));
      })
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void switchPublishesSwitchRequiredToTheUser(Vertx vertx, VertxTestContext ctx) {
    String user = "user-" + UUID.randomUUID();
    Checkpoint answered = ctx.checkpoint();
    Checkpoint delivered = ctx.checkpoint();
    String correlation = UUID.randomUUID().toString();
    MessageConsumer<Event> consumer = vertx.eventBus().consumer("user:" + user, msg -> ctx.verify(() -> {
      Event event = msg.body();
      assertEquals(CampaignService.SWITCH_REQUIRED, event.type().toString());
      assertEquals(correlation, event.correlationId());
      assertEquals(user, event.userId());
      assertEquals("0", event.data().getString("old_campaign_id"));
      assertEquals(event.data().getString("new_campaign_id"), event.campaignId());
      assertFalse(event.data().getString("reason").isEmpty());
      delivered.flag();
    }));
    consumer.completion()
      .compose(v -> create(slug("switch")))
      .compose(c -> nexus.request(Event.builder("campaign:switch_campaign:v1:requested")
          .correlationId(correlation)
          .data(new JsonObject().put("user_id", user).put("old_campaign_id", "0")
            .put("new_campaign_id", c.getLong("id").toString()))
          .build())
        .map(answer -> {
          JsonObject result = answer.data();
          assertEquals(user, result.getString("user_id"));
          assertEquals("0", result.getString("old_campaign_id"));
          assertEquals(c.getLong("id").toString(), result.getString("new_campaign_id"));
          assertEquals(c, result.getJsonObject("campaign"));
          return result;
        }))
      .onComplete(ctx.succeeding(r -> answered.flag()));
  }

  @Test
  void switchReportsErrors(VertxTestContext ctx) {
    calls.campaign("create_campaign", new JsonObject().put("slug", slug("gone")).put("title", "G")
        .put("state", "archived"))
      .compose(archived -> Future.all(List.of(
        calls.failure("switch_campaign", new JsonObject().put("user_id", "u1").put("new_campaign_id", 987654321L),
          Code.NOT_FOUND, "campaign 987654321 does not exist"),
        calls.failure("switch_campaign", new JsonObject().put("user_id", "u1").put("new_campaign_id", "no-such"),
          Code.NOT_FOUND, "campaign 'no-such' does not exist"),
        calls.failure("switch_campaign", new JsonObject().put("user_id", "u1"), Code.INVALID_ARGUMENT,
          "'new_campaign_id' is required"),
        calls.failure("switch_campaign", new JsonObject().put("new_campaign_id", "0"), Code.INVALID_ARGUMENT,
          "'user_id' is required"),
        calls.failure("switch_campaign", new JsonObject().put("user_id", "u1").put("new_campaign_id", "Bad Id"),
          Code.INVALID_ARGUMENT, "'new_campaign_id'"),
        calls.failure("switch_campaign", new JsonObject().put("user_id", "u1")
          .put("new_campaign_id", archived.getLong("id")), Code.FAILED_PRECONDITION, "archived"))))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void theHostPublishesTheLifecycleWithTheRequestsCorrelationId(Vertx vertx, VertxTestContext ctx) {
    String correlation = UUID.randomUUID().toString();
    Checkpoint started = ctx.checkpoint(2); // one per request: two requests below
    Checkpoint success = ctx.checkpoint();
    Checkpoint failed = ctx.checkpoint();
    Checkpoint answered = ctx.checkpoint();
    List<MessageConsumer<Event>> consumers = List.of(
      vertx.eventBus().<Event>consumer("campaign:get_campaign:v1:started", msg -> {
        if (correlation.equals(msg.body().correlationId())) {
          started.flag();
        }
      }),
      vertx.eventBus().<Event>consumer("campaign:get_campaign:v1:success", msg -> {
        if (correlation.equals(msg.body().correlationId())) {
          ctx.verify(() -> assertEquals(0L, msg.body().data().getJsonObject("campaign").getLong("id")));
          success.flag();
        }
      }),
      vertx.eventBus().<Event>consumer("campaign:get_campaign:v1:failed", msg -> {
        if (correlation.equals(msg.body().correlationId())) {
          ctx.verify(() -> assertEquals("NOT_FOUND", msg.body().payload().getString("code")));
          failed.flag();
        }
      }));
    Future.all(consumers.stream().map(MessageConsumer::completion).toList())
      .compose(v -> nexus.request(Event.builder("campaign:get_campaign:v1:requested").correlationId(correlation)
        .data(new JsonObject().put("id", 0)).build()))
      .compose(ok -> {
        assertEquals(correlation, ok.correlationId());
        return nexus.request(Event.builder("campaign:get_campaign:v1:requested").correlationId(correlation)
          .data(new JsonObject().put("id", 987654321L)).build()).otherwiseEmpty();
      })
      .onComplete(ctx.succeeding(v -> answered.flag()));
  }
}
