package io.inos.campaign;

import io.inos.graceful.Code;
import io.inos.graceful.OutcomeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Typed reading of a request's {@code payload.data}. A missing optional field reads as {@code null} (JSON
 * {@code null} counts as missing); a field of the wrong type or shape fails with {@link Code#INVALID_ARGUMENT} and
 * a message that names it ({@code field 'title' must be a string}). Fields nobody asks for are ignored.
 *
 * <p>Integers are accepted as JSON numbers or as decimal strings, because protobuf's JSON form prints int64 as a
 * string. Every service reads its payload with it, so their errors read the same.
 */
public final class RequestFields {

  private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,19}");

  private final JsonObject data;
  private final String prefix;

  private RequestFields(JsonObject data, String prefix) {
    this.data = data;
    this.prefix = prefix;
  }

  /** @return the fields of {@code data} (a request's {@code payload.data}; {@code null} reads as empty) */
  public static RequestFields of(JsonObject data) {
    return new RequestFields(data == null ? new JsonObject() : data, "");
  }

  /** @return the fields of the nested object {@code name}, whose errors name {@code name.field} */
  public RequestFields nested(String name) {
    return new RequestFields(object(name), prefix + name + ".");
  }

  /** @return whether the field is present and not JSON {@code null} */
  public boolean has(String name) {
    return data.getValue(name) != null;
  }

  /** @return the full name of a field, for messages */
  public String name(String field) {
    return prefix + field;
  }

  /** @return an INVALID_ARGUMENT failure: "field '{name}' {problem}" */
  public OutcomeException invalid(String field, String problem) {
    return OutcomeException.of(Code.INVALID_ARGUMENT, "field '" + name(field) + "' " + problem);
  }

  /** @return an INVALID_ARGUMENT failure saying the field is required */
  public OutcomeException missing(String field) {
    return invalid(field, "is required");
  }

  /** @return the string, or {@code null} when absent */
  public String string(String field) {
    Object v = data.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw invalid(field, "must be a string");
    }
    return s;
  }

  /** @return the string, at most {@code maxLength} characters, or {@code null} when absent */
  public String string(String field, int maxLength) {
    String s = string(field);
    if (s != null && s.length() > maxLength) {
      throw invalid(field, "must be at most " + maxLength + " characters long");
    }
    return s;
  }

  /** @return the string, not blank, at most {@code maxLength} characters */
  public String requiredString(String field, int maxLength) {
    String s = string(field, maxLength);
    if (s == null) {
      throw missing(field);
    }
    if (s.isBlank()) {
      throw invalid(field, "must not be empty");
    }
    return s;
  }

  /** @return the string if it matches {@code pattern} (described as {@code shape} in errors), or {@code null} */
  public String matching(String field, Pattern pattern, String shape) {
    String s = string(field);
    if (s != null && !pattern.matcher(s).matches()) {
      throw invalid(field, "must be " + shape);
    }
    return s;
  }

  /** @return a string or an integer as text (campaign ids in global context are strings), or {@code null} */
  public String stringOrInteger(String field) {
    Object v = data.getValue(field);
    if (v == null) {
      return null;
    }
    if (v instanceof String s) {
      return s;
    }
    Long n = integer(field);
    return n.toString();
  }

  /** @return the integer (a JSON integer or a decimal string), or {@code null} when absent */
  public Long integer(String field) {
    Object v = data.getValue(field);
    if (v == null) {
      return null;
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger b && b.bitLength() < 64) {
      return b.longValue();
    }
    if (v instanceof String s && DECIMAL.matcher(s).matches()) {
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException tooLarge) {
        throw invalid(field, "is out of range");
      }
    }
    throw invalid(field, "must be an integer (a JSON number or a decimal string)");
  }

  /** @return a copy of the object, or {@code null} when absent */
  public JsonObject object(String field) {
    Object v = data.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonObject o)) {
      throw invalid(field, "must be an object");
    }
    return o.copy();
  }

  /**
   * @return the array of strings, each not blank and at most {@code maxLength} characters, duplicates dropped
   *     (first occurrence kept), at most {@code maxItems}; {@code null} when absent
   */
  public List<String> strings(String field, int maxItems, int maxLength) {
    Object v = data.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonArray array)) {
      throw invalid(field, "must be an array of strings");
    }
    if (array.size() > maxItems) {
      throw invalid(field, "must have at most " + maxItems + " items");
    }
    LinkedHashSet<String> items = new LinkedHashSet<>();
    for (int i = 0; i < array.size(); i++) {
      String item = array.getValue(i) instanceof String s ? s : null;
      if (item == null) {
        throw invalid(field + "[" + i + "]", "must be a string");
      }
      if (item.isBlank() || item.length() > maxLength) {
        throw invalid(field + "[" + i + "]", "must be a non-empty string of at most " + maxLength + " characters");
      }
      items.add(item);
    }
    return new ArrayList<>(items);
  }

  /** @return the boolean, or {@code null} when absent */
  public Boolean bool(String field) {
    Object v = data.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Boolean b)) {
      throw invalid(field, "must be true or false");
    }
    return b;
  }
}
