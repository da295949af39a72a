package dev.parley.auth;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Reads a public key from PEM text ({@code -----BEGIN PUBLIC KEY-----}): RSA or EC. */
final class PublicKeys {

  private PublicKeys() {}

  static PublicKey fromPem(String pem) {
    String body = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
    if (body.isEmpty() || !pem.contains("-----BEGIN PUBLIC KEY-----")) {
      throw new IllegalArgumentException("Not a PEM public key (-----BEGIN PUBLIC KEY-----)");
    }
    X509EncodedKeySpec spec = new X509EncodedKeySpec(Base64.getDecoder().decode(body));
    for (String algorithm : new String[] {"RSA", "EC"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePublic(spec);
      } catch (GeneralSecurityException notThisOne) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException("The PEM public key is neither RSA nor EC");
  }
}
