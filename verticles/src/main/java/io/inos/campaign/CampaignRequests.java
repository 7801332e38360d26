package io.inos.campaign;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.inos.graceful.Code;
import io.inos.proto.common.v1.Metadata;
import io.inos.graceful.OutcomeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads and validates the payloads of the campaign actions (see the package description for the fields).
 * Every problem is an INVALID_ARGUMENT naming the field.
 */
final class CampaignRequests {

  static final Pattern SLUG = Pattern.compile("[a-z0-9_-]{1,64}");
  static final String SLUG_SHAPE = "1 to 64 characters of a-z, 0-9, '_' and '-'";
  static final Pattern STATUS = Pattern.compile("[a-z][a-z0-9_]{0,31}");
  static final String STATUS_SHAPE = "1 to 32 characters of a-z, 0-9 and '_', starting with a letter";
  static final int MAX_TITLE = 200;
  static final int MAX_DESCRIPTION = 10_000;
  static final int MAX_FEATURES = 256;
  static final int MAX_FEATURE = 64;
  static final int MAX_USER_ID = 128;
  static final int MAX_REASON = 200;
  static final int DEFAULT_PAGE_SIZE = 20;
  private static final JsonFormat.Parser METADATA_PARSER = JsonFormat.parser().ignoringUnknownFields();
  static final int MAX_PAGE_SIZE = 100;

  private CampaignRequests() {
  }

  /** The page asked for: {@code page} from 1, {@code pageSize} from 1 to {@value #MAX_PAGE_SIZE}. */
  record Paging(int page, int pageSize) {
  }

  /**
   * The campaign to create: the fields of {@code data.campaign} when it is an object (the gRPC form), else those of
   * {@code data} itself.
   *
   * @param ownerFallback the owner when the payload names none (the requesting user), or {@code null}
   */
  static CampaignDraft draft(JsonObject data, String ownerFallback) {
    RequestFields top = RequestFields.of(data);
    RequestFields f = top.has("campaign") ? top.nested("campaign") : top;
    String slug = f.matching("slug", SLUG, SLUG_SHAPE);
    if (slug == null) {
      throw f.missing("slug");
    }
    String title = f.requiredString("title", MAX_TITLE);
    String description = f.string("description", MAX_DESCRIPTION);
    String status = f.matching("status", STATUS, STATUS_SHAPE);
    CampaignState state = state(f, "state");
    List<String> features = f.strings("features", MAX_FEATURES, MAX_FEATURE);
    JsonObject config = f.object("config");
    JsonObject metadata = metadata(f, "metadata");
    String owner = f.string("owner_id", MAX_USER_ID);
    return new CampaignDraft(slug, title, description, status == null ? CampaignDraft.DEFAULT_STATUS : status,
      state == null ? CampaignState.INITIAL : state,
      features == null ? new JsonArray() : new JsonArray(features),
      config == null ? new JsonObject() : config,
      metadata == null ? new JsonObject() : metadata,
      owner != null ? owner : ownerFallback);
  }

  /**
   * The fields an update changes; {@code campaign_metadata} (the gRPC name) is preferred to {@code metadata}.
   * The slug and master id are not changeable and are ignored as fields to change.
   */
  static CampaignChanges changes(JsonObject data) {
    RequestFields f = RequestFields.of(data);
    String title = f.string("title", MAX_TITLE);
    if (title != null && title.isBlank()) {
      throw f.invalid("title", "must not be empty");
    }
    List<String> features = f.strings("features", MAX_FEATURES, MAX_FEATURE);
    JsonObject metadata = metadata(f, f.has("campaign_metadata") ? "campaign_metadata" : "metadata");
    CampaignChanges changes = new CampaignChanges(title, f.string("description", MAX_DESCRIPTION),
      f.matching("status", STATUS, STATUS_SHAPE), state(f, "state"),
      features == null ? null : new JsonArray(features), f.object("config"), metadata);
    if (changes.isEmpty()) {
      throw OutcomeException.of(Code.INVALID_ARGUMENT, "nothing to update: give at least one of title, "
        + "description, status, state, features, config, metadata");
    }
    return changes;
  }

  /**
   * Which campaign a request names: by slug when {@code slug} is given and the id is absent or 0 (in protobuf an
   * unset int64 is 0), else by id.
   *
   * @param idField the id field's name ({@code id} or {@code campaign_id}); the other name is accepted too
   */
  static CampaignRef ref(JsonObject data, String idField) {
    RequestFields f = RequestFields.of(data);
    String alias = idField.equals("id") ? "campaign_id" : "id";
    String field = f.has(idField) || !f.has(alias) ? idField : alias;
    Long id = f.integer(field);
    if (id != null && id < 0) {
      throw f.invalid(field, "must not be negative");
    }
    String slug = f.string("slug");
    if (slug != null && !slug.isEmpty() && (id == null || id == 0)) {
      if (!SLUG.matcher(slug).matches()) {
        throw f.invalid("slug", "must be " + SLUG_SHAPE);
      }
      return CampaignRef.bySlug(slug);
    }
    if (id == null) {
      throw OutcomeException.of(Code.INVALID_ARGUMENT, "field '" + idField + "' or 'slug' is required");
    }
    return CampaignRef.byId(id);
  }

  /** A campaign named by one value, as in {@code switch_campaign}: a decimal id, or a slug. */
  static CampaignRef refOf(RequestFields f, String field) {
    String value = f.stringOrInteger(field);
    if (value == null || value.isEmpty()) {
      throw f.missing(field);
    }
    if (value.chars().allMatch(Character::isDigit)) {
      try {
        return CampaignRef.byId(Long.parseLong(value));
      } catch (NumberFormatException tooLarge) {
        throw f.invalid(field, "is out of range");
      }
    }
    if (!SLUG.matcher(value).matches()) {
      throw f.invalid(field, "must be a campaign id or slug");
    }
    return CampaignRef.bySlug(value);
  }

  /** Paging: absent or 0 means the default (as protobuf's unset int32), negative or too large is refused. */
  static Paging paging(JsonObject data) {
    RequestFields f = RequestFields.of(data);
    Long page = f.integer("page");
    if (page != null && (page < 0 || page > Integer.MAX_VALUE)) {
      throw f.invalid("page", "must be between 1 and " + Integer.MAX_VALUE + " (0 or absent means 1), not " + page);
    }
    Long size = f.integer("page_size");
    if (size != null && (size < 0 || size > MAX_PAGE_SIZE)) {
      throw f.invalid("page_size", "must be between 1 and " + MAX_PAGE_SIZE + " (0 or absent means "
        + DEFAULT_PAGE_SIZE + "), not " + size);
    }
    return new Paging(page == null || page == 0 ? 1 : page.intValue(),
      size == null || size == 0 ? DEFAULT_PAGE_SIZE : size.intValue());
  }

  /**
   * @return the metadata object of {@code field}, {@code null} when absent; it must fit
   *     {@code inos.common.v1.Metadata} (unknown keys allowed), so that every campaign can be read over gRPC
   */
  static JsonObject metadata(RequestFields f, String field) {
    JsonObject metadata = f.object(field);
    if (metadata != null) {
      try {
        METADATA_PARSER.merge(metadata.encode(), Metadata.newBuilder());
      } catch (InvalidProtocolBufferException e) {
        throw f.invalid(field, "does not fit inos.common.v1.Metadata: " + e.getMessage());
      }
    }
    return metadata;
  }

  /** @return the state of {@code field}, {@code null} when absent */
  static CampaignState state(RequestFields f, String field) {
    String wire = f.string(field);
    if (wire == null) {
      return null;
    }
    CampaignState state = CampaignState.ofWire(wire);
    if (state == null) {
      throw f.invalid(field, "must be one of " + CampaignState.names() + ", not '" + wire + "'");
    }
    return state;
  }
}
