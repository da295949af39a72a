package dev.parley.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Verifies the JWTs that admit chat members when authentication is configured: signed with HS256
 * under the configured secret, or RS256/ES256 under the configured public key, and no other way (no
 * {@code none}, no HMAC keyed with the public key); {@code sub} and {@code exp} are required, and
 * clocks may differ by {@link #CLOCK_SKEW_SECONDS}.
 */
public final class TokenVerifier {

  /** How far the issuer's clock and this server's may differ, either way. */
  public static final int CLOCK_SKEW_SECONDS = 10;

  /** The shortest HS256 secret taken: 256 bits, as RFC 7518 §3.2 requires. */
  public static final int MIN_SECRET_BYTES = 32;

  private final DefaultJWTProcessor<SecurityContext> processor;
  private final Set<JWSAlgorithm> algorithms;

  private TokenVerifier(List<JWK> keys, Set<JWSAlgorithm> algorithms) {
    this.algorithms = algorithms;
    processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(
        new JWSVerificationKeySelector<>(algorithms, new ImmutableJWKSet<>(new JWKSet(keys))));
    DefaultJWTClaimsVerifier<SecurityContext> claims =
        new DefaultJWTClaimsVerifier<>(null, Set.of("sub", "exp"));
    claims.setMaxClockSkew(CLOCK_SKEW_SECONDS);
    processor.setJWTClaimsSetVerifier(claims);
  }

  /**
   * A verifier for an HS256 secret and/or a PEM public key (RSA: RS256; EC P-256: ES256); null when
   * neither is given (authentication is off).
   *
   * @throws IllegalArgumentException for a secret under {@link #MIN_SECRET_BYTES} or a key that is
   *     not one of those: a server must not start with an authentication weaker than asked for
   */
  public static TokenVerifier of(String hmacSecret, String publicKeyPem) {
    List<JWK> keys = new ArrayList<>();
    Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
    if (hmacSecret != null && !hmacSecret.isEmpty()) {
      byte[] secret = hmacSecret.getBytes(StandardCharsets.UTF_8);
      if (secret.length < MIN_SECRET_BYTES) {
        throw new IllegalArgumentException(
            "parley.authHmacSecret has "
                + secret.length
                + " bytes; HS256 needs at least "
                + MIN_SECRET_BYTES);
      }
      keys.add(new OctetSequenceKey.Builder(secret).algorithm(JWSAlgorithm.HS256).build());
      algorithms.add(JWSAlgorithm.HS256);
    }
    if (publicKeyPem != null && !publicKeyPem.isBlank()) {
      PublicKey key = PublicKeys.fromPem(publicKeyPem);
      if (key instanceof RSAPublicKey rsa) {
        keys.add(new RSAKey.Builder(rsa).algorithm(JWSAlgorithm.RS256).build());
        algorithms.add(JWSAlgorithm.RS256);
      } else if (key instanceof ECPublicKey ec
          && Curve.P_256.equals(Curve.forECParameterSpec(ec.getParams()))) {
        keys.add(new ECKey.Builder(Curve.P_256, ec).algorithm(JWSAlgorithm.ES256).build());
        algorithms.add(JWSAlgorithm.ES256);
      } else {
        throw new IllegalArgumentException(
            "parley.authPublicKey must be an RSA key (RS256) or an EC P-256 key (ES256)");
      }
    }
    return keys.isEmpty() ? null : new TokenVerifier(keys, Set.copyOf(algorithms));
  }

  /** Where the JWT library was loaded from: the WAR's copy, or a server's own. */
  static String library() {
    java.security.CodeSource source =
        DefaultJWTProcessor.class.getProtectionDomain().getCodeSource();
    return source == null ? "the server" : String.valueOf(source.getLocation());
  }

  /** The algorithms a token may be signed with, as configured. */
  public Set<JWSAlgorithm> algorithms() {
    return algorithms;
  }

  /** Who the token says its holder is, or why it admits nobody. */
  public Identity verify(String token) throws TokenRefused {
    if (token == null || token.isBlank()) {
      throw new TokenRefused("No token");
    }
    JWTClaimsSet claims;
    try {
      claims = processor.process(token, null);
    } catch (ParseException e) {
      throw new TokenRefused("Malformed token");
    } catch (BadJWTException e) {
      throw new TokenRefused(
          e.getMessage().startsWith("Expired")
              ? "Token expired"
              : "Token refused: " + e.getMessage());
    } catch (BadJOSEException e) {
      throw new TokenRefused("Bad signature or algorithm not allowed");
    } catch (JOSEException e) {
      throw new TokenRefused("Token could not be verified");
    }
    try {
      String subject = claims.getSubject();
      String name = claims.getStringClaim("name");
      List<String> rooms = claims.getStringListClaim("rooms");
      Instant expires = claims.getExpirationTime().toInstant();
      return new Identity(
          subject,
          name == null ? subject : name,
          rooms == null ? null : Set.copyOf(rooms),
          roles(claims.getClaim("roles")),
          expires);
    } catch (ParseException e) {
      throw new TokenRefused("Claim name must be text and rooms a list of texts");
    }
  }

  /**
   * The {@code roles} claim, read leniently: it only ever grants (the operations feed), and
   * providers write it as a list or as one text of names apart by spaces or commas. Anything else
   * grants nothing, rather than refusing a token that chat would take.
   */
  static Set<String> roles(Object claim) {
    if (claim instanceof String names) {
      return Arrays.stream(names.trim().split("[\\s,]+"))
          .filter(role -> !role.isEmpty())
          .collect(Collectors.toUnmodifiableSet());
    }
    if (claim instanceof List<?> list) {
      return list.stream()
          .filter(String.class::isInstance)
          .map(String.class::cast)
          .collect(Collectors.toUnmodifiableSet());
    }
    return Set.of();
  }
}
