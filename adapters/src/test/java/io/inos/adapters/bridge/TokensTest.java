package io.inos.adapters.bridge;

import io.inos.adapters.bridge.impl.JwtTokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JWT bearer tokens: HS256 secrets, RS256 and ES256 PEM keys, the claims, and the ways a token is refused. */
@ExtendWith(VertxExtension.class)
class TokensTest {

  private static final String SECRET = "tokens-test-secret-of-32-characters-at-least";

  @Test
  void anHs256TokenCarriesTheUserItsRolesAndCampaigns(Vertx vertx) throws Exception {
    JwtTokens tokens = JwtTokens.create(vertx, new TokenOptions().setKey(SECRET).setIssuer("inos"));
    assertEquals("HS256", tokens.algorithm());
    String token = tokens.issue("alice", List.of("admin", "editor"), List.of("c1", "c2"));
    BridgeIdentity alice = await(tokens.verify(token));
    assertEquals("alice", alice.userId());
    assertEquals(Set.of("admin", "editor"), alice.roles());
    assertEquals(Set.of("c1", "c2"), alice.campaigns());
    assertTrue(alice.expiresAt() > System.currentTimeMillis() / 1000);
    assertTrue(!alice.guest());

    // numeric campaign ids are ids too
    BridgeIdentity numeric = await(tokens.verify(tokens.issue(new JsonObject().put("sub", "bob")
      .put("campaigns", new io.vertx.core.json.JsonArray().add(7)))));
    assertEquals(Set.of("7"), numeric.campaigns());
  }

  @Test
  void rs256AndEs256PemKeysAreFoundFromTheKeyAndVerifyOnlyWithoutASigningKey(Vertx vertx) throws Exception {
    for (String kind : new String[] {"RSA", "EC"}) {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(kind);
      if (kind.equals("EC")) {
        generator.initialize(new ECGenParameterSpec("secp256r1"));
      } else {
        generator.initialize(2048);
      }
      KeyPair pair = generator.generateKeyPair();
      // as an environment variable may hold it: on one line, with literal \\n
      String publicPem = pem("PUBLIC KEY", pair.getPublic().getEncoded()).replace("\n", "\\n");
      String privatePem = pem("PRIVATE KEY", pair.getPrivate().getEncoded());

      JwtTokens signer = JwtTokens.create(vertx, new TokenOptions().setKey(publicPem).setSigningKey(privatePem));
      assertEquals(kind.equals("RSA") ? "RS256" : "ES256", signer.algorithm());
      String token = signer.issue("alice", List.of(), List.of("c1"));

      JwtTokens verifier = JwtTokens.create(vertx, new TokenOptions().setKey(publicPem));
      assertEquals("alice", await(verifier.verify(token)).userId());
      IllegalStateException verifyOnly = assertThrows(IllegalStateException.class,
        () -> verifier.issue("alice", List.of(), List.of()));
      assertTrue(verifyOnly.getMessage().contains("jwt.signingKey"), verifyOnly.getMessage());

      // a token signed with the HS256 secret is not accepted where the key is a public key
      String hs = JwtTokens.create(vertx, new TokenOptions().setKey(SECRET)).issue("alice", List.of(), List.of());
      assertRefused(verifier, hs, "invalid_token: not signed with an algorithm and key this server accepts");
    }
  }

  @Test
  void refusedTokensSayWhy(Vertx vertx) throws Exception {
    JwtTokens tokens = JwtTokens.create(vertx, new TokenOptions().setKey(SECRET).setLeewaySeconds(0));
    long now = System.currentTimeMillis() / 1000;
    assertRefused(tokens, tokens.issue(new JsonObject().put("sub", "alice").put("exp", now - 10)),
      "invalid_token: expired");
    assertRefused(tokens, JwtTokens.create(vertx, new TokenOptions().setKey(SECRET + "x")).issue("alice", List.of(),
      List.of()), "invalid_token: the signature does not verify");
    assertRefused(tokens, "a.b", "invalid_token: malformed");
    assertRefused(tokens, "x".repeat(10_000), "invalid_token: malformed (longer than");
    String unsigned = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes())
      + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(("{\"sub\":\"root\",\"exp\":" + (now + 60)
      + "}").getBytes()) + ".";
    assertRefused(tokens, unsigned, "invalid_token: unsigned tokens are not accepted");
    assertRefused(tokens, tokens.issue(new JsonObject().put("sub", "alice").put("roles", "admin")),
      "invalid_token: claim 'roles' must be an array");
    assertRefused(JwtTokens.create(vertx, new TokenOptions().setKey(SECRET).setAudience("inos")),
      tokens.issue("alice", List.of(), List.of()), "invalid_token: wrong audience");
  }

  @Test
  void badKeysAreRefusedWithTheKeyNamed(Vertx vertx) {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new TokenOptions().setKey("short"))
      .getMessage().contains("at least 32 characters"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> JwtTokens.create(vertx, new TokenOptions()))
      .getMessage().contains("jwt.key is not set"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> JwtTokens.create(vertx, new TokenOptions()
      .setKey("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"))).getMessage().contains("jwt.key"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> JwtTokens.create(vertx, new TokenOptions()
      .setKey(SECRET).setAlgorithm("RS256"))).getMessage().contains("needs a PEM key"));
    TokenOptions options = new TokenOptions().setKey(SECRET).setIssuer("inos").setAudience("web").setTtlSeconds(60);
    assertEquals(options.toJson(), new TokenOptions(options.toJson()).toJson());
  }

  @Test
  void withoutAKeyTheBridgeMakesADevelopmentKeyItsIssuerSignsWith(Vertx vertx) throws Exception {
    Bridge bridge = Bridge.create(vertx, io.inos.nexus.Nexus.create(vertx), new BridgeOptions());
    TokenIssuer issuer = bridge.tokenIssuer();
    assertEquals("HS256", issuer.algorithm());
    RecordingSink sink = new RecordingSink();
    io.vertx.core.Promise<BridgeSession> opened = io.vertx.core.Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> bridge.open(BridgeCredentials.bearer(issuer.issue("alice",
      List.of(), List.of())), sink, "test").onComplete(opened));
    assertEquals("alice", await(opened.future()).identity().userId());
    await(bridge.close());
  }

  private static void assertRefused(JwtTokens tokens, String token, String messagePart) throws Exception {
    Throwable failure = tokens.verify(token).toCompletionStage().toCompletableFuture()
      .handle((ok, err) -> err).get(10, TimeUnit.SECONDS);
    BridgeException refusal = assertInstanceOf(BridgeException.class, failure instanceof
      java.util.concurrent.CompletionException ? failure.getCause() : failure);
    assertEquals(BridgeError.INVALID_TOKEN, refusal.error());
    assertTrue(refusal.getMessage().startsWith(messagePart), refusal.getMessage());
  }

  private static String pem(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
      + "\n-----END " + label + "-----\n";
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
