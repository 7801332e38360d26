package io.inos.adapters.bridge;

import io.inos.nexus.Event;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Objects;
import java.util.function.Function;

/**
 * One message arriving at one address, on its way to every session subscribed there, whatever their protocol.
 *
 * <p>A delivery is made once per message and address and shared by all those sessions, so everything derived from it
 * is computed once, on first use, and then shared (the fan-out is encoded once, not once per subscriber):
 * <ul>
 *   <li>{@link #json()}: the JSON text of the body (an event's wire envelope), shared also with the deliveries of the
 *   same event at its other addresses when they arrive one after the other (its type and its scope);</li>
 *   <li>{@link #encoded(Form)}: any protocol's own frame for this delivery, e.g. the SockJS door's
 *   {@code {"type":"rec","address":…,"body":…}}, built once per message and address.</li>
 * </ul>
 * Deliveries are handed to sessions on several event loops at once: they are immutable and their caches are safe to
 * use from any thread.
 */
public final class Delivery {

  private final String address;
  private final MultiMap headers;
  private final Body body;
  /** form, value, form, value, …; guarded by {@code this}. Most deliveries see one or two forms. */
  private Object[] forms;

  private Delivery(String address, MultiMap headers, Body body) {
    this.address = Objects.requireNonNull(address, "address");
    this.headers = headers == null ? MultiMap.caseInsensitiveMultiMap() : headers;
    this.body = body;
  }

  /**
   * @param address where the message arrived
   * @param body    the message body: an {@link Event}, or a JSON value (object, array, string, number, boolean),
   *                or a buffer holding JSON text
   * @param headers the message headers; may be {@code null}
   */
  public static Delivery of(String address, Object body, MultiMap headers) {
    return new Delivery(address, headers, new Body(body));
  }

  /**
   * @return a delivery of the same message body at another address, sharing its encoded JSON (its headers are
   * those given)
   */
  public Delivery at(String otherAddress, MultiMap otherHeaders) {
    return new Delivery(otherAddress, otherHeaders, body);
  }

  /** @return the address the message arrived at */
  public String address() {
    return address;
  }

  /** @return the body as it came off the bus */
  public Object body() {
    return body.value;
  }

  /** @return the body when it is an event, else {@code null} */
  public Event event() {
    return body.value instanceof Event e ? e : null;
  }

  /** @return the message headers (empty when none); do not change them */
  public MultiMap headers() {
    return headers;
  }

  /** @return the JSON text of the body (an event's wire envelope), computed once and shared */
  public String json() {
    return body.json();
  }

  /**
   * @return the body as a JSON object (an event's wire envelope), or {@code null} when it is not an object; computed
   * once and shared, so it must not be changed
   */
  public JsonObject jsonObject() {
    return body.object();
  }

  /**
   * @return this delivery's value of {@code form}: computed by the form's encoder the first time any session asks,
   * then the same value for every session
   */
  @SuppressWarnings("unchecked")
  public synchronized <T> T encoded(Form<T> form) {
    Object[] cache = forms;
    if (cache != null) {
      for (int i = 0; i < cache.length; i += 2) {
        if (cache[i] == form) {
          return (T) cache[i + 1];
        }
      }
    }
    T value = form.encoder.apply(this);
    if (cache == null) {
      forms = new Object[] {form, value};
    } else {
      Object[] grown = java.util.Arrays.copyOf(cache, cache.length + 2);
      grown[cache.length] = form;
      grown[cache.length + 1] = value;
      forms = grown;
    }
    return value;
  }

  @Override
  public String toString() {
    return "Delivery[" + address + "]";
  }

  /**
   * A way to encode a delivery (a protocol's frame, a filter's verdict), computed at most once per delivery.
   * Make one per protocol and keep it in a constant: forms are told apart by identity.
   *
   * @param <T> what the encoder makes
   */
  public static final class Form<T> {
    private final String name;
    private final Function<Delivery, ? extends T> encoder;

    private Form(String name, Function<Delivery, ? extends T> encoder) {
      this.name = Objects.requireNonNull(name, "name");
      this.encoder = Objects.requireNonNull(encoder, "encoder");
    }

    /**
     * @param name    for logs
     * @param encoder makes the value from a delivery; must not block, and may run on any event loop
     */
    public static <T> Form<T> of(String name, Function<Delivery, ? extends T> encoder) {
      return new Form<>(name, encoder);
    }

    @Override
    public String toString() {
      return "Form[" + name + "]";
    }
  }

  /** A message body and its encodings, shared by the deliveries of one message. */
  private static final class Body {
    final Object value;
    private volatile String json;
    private volatile Object object;

    Body(Object value) {
      this.value = value;
    }

    String json() {
      String text = json;
      if (text == null) {
        synchronized (this) {
          text = json;
          if (text == null) {
            text = encode(value);
            json = text;
          }
        }
      }
      return text;
    }

    JsonObject object() {
      Object parsed = object;
      if (parsed == null) {
        synchronized (this) {
          parsed = object;
          if (parsed == null) {
            parsed = toObject(value);
            object = parsed;
          }
        }
      }
      return parsed instanceof JsonObject o ? o : null;
    }

    private static String encode(Object value) {
      if (value instanceof Event event) {
        return event.toJson().encode();
      }
      if (value instanceof JsonObject o) {
        return o.encode();
      }
      if (value instanceof JsonArray a) {
        return a.encode();
      }
      if (value instanceof Buffer buffer) {
        return Json.encode(buffer.toString());
      }
      if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
        return Json.encode(value);
      }
      return Json.encode(value.toString());
    }

    private static Object toObject(Object value) {
      if (value instanceof Event event) {
        return event.toJson();
      }
      if (value instanceof JsonObject o) {
        return o;
      }
      // Boolean.FALSE marks "no object" so the check is not repeated
      return Boolean.FALSE;
    }
  }
}
