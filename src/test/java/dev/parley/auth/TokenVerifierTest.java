package dev.parley.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which tokens admit their holder, and which are refused, and why. */
class TokenVerifierTest {

  private static final String SECRET = "a-secret-of-at-least-thirty-two-bytes!";
  private static final Instant IN_AN_HOUR = Instant.now().plusSeconds(3600);

  private final TokenVerifier hmac = TokenVerifier.of(SECRET, null);

  @Test
  void aTokenSignedWithTheSecretNamesItsHolder() throws Exception {
    Identity ada = hmac.verify(hs256(claims("ada-42").claim("name", "Ada").build()));
    assertEquals("ada-42", ada.subject());
    assertEquals("Ada", ada.name());
    assertNull(ada.rooms(), "no rooms claim: every room");
    assertTrue(ada.mayEnter("anywhere"));
    assertEquals(IN_AN_HOUR.getEpochSecond(), ada.expires().getEpochSecond());
  }

  @Test
  void theNickIsTheSubjectWhenTheTokenHasNoName() throws Exception {
    assertEquals("ada-42", hmac.verify(hs256(claims("ada-42").build())).name());
  }

  @Test
  void roomsLimitWhereTheHolderMayGo() throws Exception {
    Identity ada =
        hmac.verify(hs256(claims("ada").claim("rooms", List.of("lobby", "ops")).build()));
    assertEquals(Set.of("lobby", "ops"), ada.rooms());
    assertTrue(ada.mayEnter("ops"));
    assertTrue(!ada.mayEnter("elsewhere"));
  }

  @Test
  void missingMalformedAndBadlySignedTokensAreRefused() throws Exception {
    assertRefused("No token", null);
    assertRefused("No token", "");
    assertRefused("Malformed token", "not.a.token");
    assertRefused("Malformed token", "garbage");
    String other = hs256(claims("ada").build(), "another-secret-of-at-least-32-bytes!!");
    assertRefused("Bad signature or algorithm not allowed", other);
    String[] ada = hs256(claims("ada").build()).split("\\.");
    String[] eve = hs256(claims("eve").build()).split("\\.");
    assertRefused("Bad signature or algorithm not allowed", ada[0] + "." + eve[1] + "." + ada[2]);
  }

  @Test
  void subAndExpAreRequired() throws Exception {
    String noSub = hs256(new JWTClaimsSet.Builder().expirationTime(Date.from(IN_AN_HOUR)).build());
    assertTrue(refusal(noSub).contains("sub"), refusal(noSub));
    String noExp = hs256(new JWTClaimsSet.Builder().subject("ada").build());
    assertTrue(refusal(noExp).contains("exp"), refusal(noExp));
  }

  @Test
  void anExpiredTokenIsRefusedPastTheClockSkewAndTakenWithinIt() throws Exception {
    Instant now = Instant.now();
    String expired =
        hs256(
            claims("ada")
                .expirationTime(Date.from(now.minusSeconds(TokenVerifier.CLOCK_SKEW_SECONDS + 5)))
                .build());
    assertRefused("Token expired", expired);
    String justExpired =
        hs256(
            claims("ada")
                .expirationTime(Date.from(now.minusSeconds(TokenVerifier.CLOCK_SKEW_SECONDS - 5)))
                .build());
    assertEquals("ada", hmac.verify(justExpired).subject(), "within the skew of clocks");
  }

  @Test
  void anUnsignedTokenIsRefused() {
    assertRefused(
        "Bad signature or algorithm not allowed", new PlainJWT(claims("ada").build()).serialize());
  }

  @Test
  void onlyTheConfiguredAlgorithmsAreTaken() throws Exception {
    RSAKey rsa = new RSAKeyGenerator(2048).generate();
    TokenVerifier rs256 = TokenVerifier.of(null, pem(rsa.toPublicKey()));
    String signed = sign(claims("ada").build(), JWSAlgorithm.RS256, new RSASSASigner(rsa));
    assertEquals("ada", rs256.verify(signed).subject());
    // algorithm confusion: an HMAC keyed with the public key's own text
    String confused = hs256(claims("ada").build(), pem(rsa.toPublicKey()));
    assertThrows(TokenRefused.class, () -> rs256.verify(confused));
    // and the other way round: an RSA token where only the secret is configured
    assertRefused("Bad signature or algorithm not allowed", signed);
    assertEquals(Set.of(JWSAlgorithm.RS256), rs256.algorithms());
  }

  @Test
  void es256TokensAreVerifiedWithAnEcP256Key() throws Exception {
    ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
    TokenVerifier es256 = TokenVerifier.of(SECRET, pem(ec.toPublicKey()));
    String signed = sign(claims("ada").build(), JWSAlgorithm.ES256, new ECDSASigner(ec));
    assertEquals("ada", es256.verify(signed).subject());
    assertEquals("ada", es256.verify(hs256(claims("ada").build())).subject(), "and the secret");
    assertEquals(Set.of(JWSAlgorithm.HS256, JWSAlgorithm.ES256), es256.algorithms());
  }

  @Test
  void weakOrUnknownKeysStopTheServerFromStarting() throws Exception {
    IllegalArgumentException shortSecret =
        assertThrows(IllegalArgumentException.class, () -> TokenVerifier.of("too-short", null));
    assertTrue(shortSecret.getMessage().contains("32"), shortSecret.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TokenVerifier.of(null, "not a key"));
    ECKey p384 = new ECKeyGenerator(Curve.P_384).generate();
    assertThrows(
        IllegalArgumentException.class, () -> TokenVerifier.of(null, pem(p384.toPublicKey())));
    assertNull(TokenVerifier.of(null, null), "nothing configured: authentication is off");
    assertNull(TokenVerifier.of("", " "), "empty settings count as unset");
  }

  @Test
  void rolesGrantWhatTheyNameAsAListOrAsOneTextAndNothingOtherwise() throws Exception {
    assertTrue(verifyWithRoles(List.of("ops", "admin")).hasRole(Identity.OPS));
    assertEquals(Set.of("ops", "admin"), verifyWithRoles("ops, admin ops").roles());
    assertEquals(Set.of("ops"), verifyWithRoles(Arrays.asList("ops", 7, null)).roles());
    assertEquals(Set.of(), verifyWithRoles(42).roles(), "a token chat takes is not refused");
    assertEquals(Set.of(), hmac.verify(hs256(claims("ada").build())).roles());
  }

  private Identity verifyWithRoles(Object roles) throws Exception {
    return hmac.verify(hs256(claims("ada").claim("roles", roles).build()));
  }

  @Test
  void claimsOfTheWrongTypeAreRefused() throws Exception {
    assertTrue(refusal(hs256(claims("ada").claim("name", 42).build())).contains("name"));
    assertTrue(refusal(hs256(claims("ada").claim("rooms", "lobby").build())).contains("rooms"));
  }

  private void assertRefused(String why, String token) {
    assertEquals(why, refusal(token));
  }

  private String refusal(String token) {
    return assertThrows(TokenRefused.class, () -> hmac.verify(token)).getMessage();
  }

  private static JWTClaimsSet.Builder claims(String subject) {
    return new JWTClaimsSet.Builder().subject(subject).expirationTime(Date.from(IN_AN_HOUR));
  }

  private static String hs256(JWTClaimsSet claims) throws JOSEException {
    return hs256(claims, SECRET);
  }

  private static String hs256(JWTClaimsSet claims, String secret) throws JOSEException {
    return sign(claims, JWSAlgorithm.HS256, new MACSigner(secret.getBytes()));
  }

  private static String sign(JWTClaimsSet claims, JWSAlgorithm algorithm, JWSSigner signer)
      throws JOSEException {
    SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims);
    jwt.sign(signer);
    return jwt.serialize();
  }

  static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }
}
