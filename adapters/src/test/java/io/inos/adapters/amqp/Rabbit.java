package io.inos.adapters.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The machine's RabbitMQ (127.0.0.1:5672, guest/guest), seen by a test through RabbitMQ's own Java client and the
 * Debian amqp-tools. Every exchange and queue a test names is unique ({@link #name}) and deleted by {@link #close()};
 * nothing else on the broker is touched.
 */
final class Rabbit {

  static final String HOST = "127.0.0.1";
  static final int PORT = 5672;
  static final String URI = "amqp://guest:guest@" + HOST + ":" + PORT;

  private final String prefix = "inos-test-" + UUID.randomUUID().toString().substring(0, 8) + "-";
  private final List<String> exchanges = new ArrayList<>();
  private final List<String> queues = new ArrayList<>();
  private final Connection connection;
  private final Channel channel;

  Rabbit() throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(URI);
    connection = factory.newConnection("inos-amqp-test");
    channel = connection.createChannel();
    channel.confirmSelect();
  }

  /** @return a unique exchange name, deleted at the end */
  String exchange(String what) {
    String name = prefix + "x-" + what;
    exchanges.add(name);
    return name;
  }

  /** @return a unique queue name, deleted at the end */
  String queue(String what) {
    String name = prefix + "q-" + what;
    queues.add(name);
    return name;
  }

  /** Declares {@code queue} (durable, as the adapter does) bound to {@code exchange}, declared as {@code type}. */
  void declareBound(String queue, String exchange, String type, String bindingKey) throws Exception {
    channel.exchangeDeclare(exchange, type, true);
    channel.queueDeclare(queue, true, false, false, null);
    channel.queueBind(queue, exchange, bindingKey);
  }

  /** Publishes with the Java client and waits for the broker's confirm. */
  void publish(String exchange, String routingKey, AMQP.BasicProperties props, byte[] body) throws Exception {
    channel.basicPublish(exchange, routingKey, props, body);
    channel.waitForConfirmsOrDie(10_000);
  }

  /** @return a channel in confirm mode of its own, for a thread of its own (channels are not shared by threads) */
  Channel confirmChannel() throws Exception {
    Channel c = connection.createChannel();
    c.confirmSelect();
    return c;
  }

  long readyCount(String queue) throws Exception {
    return channel.messageCount(queue);
  }

  /** @return the messages of {@code queue}, as they arrive (acknowledged automatically) */
  BlockingQueue<Delivery> consume(String queue) throws Exception {
    BlockingQueue<Delivery> received = new LinkedBlockingQueue<>();
    Channel c = connection.createChannel();
    c.basicConsume(queue, true, (tag, delivery) -> received.add(delivery), tag -> { });
    return received;
  }

  /** Runs Debian's {@code amqp-publish} (librabbitmq) to publish {@code body}. */
  static void amqpPublish(String exchange, String routingKey, String contentType, String body) throws Exception {
    List<String> command = new ArrayList<>(List.of("/usr/bin/amqp-publish", "--url=" + URI, "-e", exchange,
      "-r", routingKey, "-p"));
    if (contentType != null) {
      command.add("-C");
      command.add(contentType);
    }
    command.add("-b");
    command.add(body);
    Run run = run(command, Duration.ofSeconds(20));
    assertEquals(0, run.exitCode, "amqp-publish failed: " + run.output);
  }

  /**
   * Runs Debian's {@code amqp-consume} on {@code queue} until it has {@code count} messages, each body printed on
   * its own line.
   */
  static List<String> amqpConsume(String queue, int count) throws Exception {
    Run run = run(List.of("/usr/bin/amqp-consume", "--url=" + URI, "-q", queue, "-c", Integer.toString(count),
      "--", "/bin/sh", "-c", "cat; echo"), Duration.ofSeconds(20));
    assertEquals(0, run.exitCode, "amqp-consume failed: " + run.output);
    List<String> lines = new ArrayList<>();
    for (String line : run.output.split("\n")) {
      if (!line.isBlank()) {
        lines.add(line);
      }
    }
    return lines;
  }

  private record Run(int exitCode, String output) {
  }

  private static Run run(List<String> command, Duration timeout) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread reader = new Thread(() -> {
      try (InputStream in = process.getInputStream()) {
        in.transferTo(out);
      } catch (Exception ignored) {
        // the process ended
      }
    });
    reader.start();
    boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!ended) {
      process.destroyForcibly();
    }
    reader.join(5_000);
    assertTrue(ended, command.get(0) + " did not end within " + timeout + ": " + out);
    return new Run(process.exitValue(), out.toString(StandardCharsets.UTF_8));
  }

  /** Waits, without blocking an event loop, until {@code condition} holds; fails after {@code timeout}. */
  static void until(Vertx vertx, Duration timeout, String what, BooleanSupplier condition) throws Exception {
    Promise<Void> holds = Promise.promise();
    long timer = vertx.setPeriodic(20, id -> {
      if (condition.getAsBoolean()) {
        holds.tryComplete();
      }
    });
    try {
      holds.future().toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("not within " + timeout + ": " + what);
    } finally {
      vertx.cancelTimer(timer);
    }
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Deletes every exchange and queue named by {@link #exchange} and {@link #queue}, then disconnects. */
  void close() throws Exception {
    try {
      for (String q : queues) {
        delete(c -> c.queueDelete(q));
      }
      for (String x : exchanges) {
        delete(c -> c.exchangeDelete(x));
      }
    } finally {
      connection.close();
    }
  }

  private interface Deletion {
    void run(Channel channel) throws Exception;
  }

  /** On a channel of its own: deleting what a failed test never made closes that channel (NOT_FOUND). */
  private void delete(Deletion deletion) throws Exception {
    Channel c = connection.createChannel();
    try {
      deletion.run(c);
    } catch (java.io.IOException notThere) {
      return;
    }
    c.close();
  }
}
