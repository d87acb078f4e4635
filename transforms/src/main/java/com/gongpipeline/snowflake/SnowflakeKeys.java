package com.gongpipeline.snowflake;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Snowflake key-pair material with the JDK alone: reads a PKCS#8 PEM private key (plain, or
 * encrypted with a passphrase as {@code openssl pkcs8 -topk8 -v2 aes256} writes it), derives its
 * RSA public key, and computes the fingerprint Snowflake shows as {@code RSA_PUBLIC_KEY_FP}.
 *
 * <p>Error messages name the file and the problem, never key material or the passphrase.
 */
public final class SnowflakeKeys {
  private SnowflakeKeys() {}

  /** A private key and the public key derived from it. */
  public record RsaKeyPair(PrivateKey privateKey, PublicKey publicKey) {
    @Override
    public String toString() {
      return "RsaKeyPair{public=" + fingerprint(publicKey) + ", private=****}";
    }
  }

  /**
   * Reads {@code pemFile}: {@code BEGIN PRIVATE KEY} (unencrypted PKCS#8) or {@code BEGIN ENCRYPTED
   * PRIVATE KEY} (needs {@code passphrase}). PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) is refused with
   * the openssl command that converts it.
   */
  public static RsaKeyPair readPrivateKey(Path pemFile, char @Nullable [] passphrase) {
    String pem;
    try {
      pem = Files.readString(pemFile, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalStateException("Snowflake private key: cannot read " + pemFile + " ("
          + e.getClass().getSimpleName() + ")", e);
    }
    try {
      PrivateKey key;
      if (pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
        if (passphrase == null || passphrase.length == 0) {
          throw new IllegalStateException("Snowflake private key " + pemFile + " is encrypted; set "
              + SnowflakeCredentials.ENV_PRIVATE_KEY_PASSPHRASE);
        }
        key = decrypt(der(pem, "ENCRYPTED PRIVATE KEY"), passphrase);
      } else if (pem.contains("-----BEGIN PRIVATE KEY-----")) {
        key = rsa().generatePrivate(new PKCS8EncodedKeySpec(der(pem, "PRIVATE KEY")));
      } else if (pem.contains("-----BEGIN RSA PRIVATE KEY-----")) {
        throw new IllegalStateException("Snowflake private key " + pemFile + " is PKCS#1; convert "
            + "it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.p8");
      } else {
        throw new IllegalStateException("Snowflake private key " + pemFile
            + " is not a PKCS#8 PEM file (expected -----BEGIN PRIVATE KEY-----)");
      }
      return new RsaKeyPair(key, publicKeyOf(key));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("Snowflake private key " + pemFile + " cannot be loaded ("
          + e.getClass().getSimpleName() + "; wrong passphrase or not an RSA key?)");
    }
  }

  /** The RSA public key of an RSA private key (PKCS#8 keys carry the public exponent). */
  public static PublicKey publicKeyOf(PrivateKey key) throws GeneralSecurityException {
    if (!(key instanceof RSAPrivateCrtKey crt)) {
      throw new GeneralSecurityException("not an RSA CRT private key");
    }
    BigInteger modulus = crt.getModulus();
    return rsa().generatePublic(new RSAPublicKeySpec(modulus, crt.getPublicExponent()));
  }

  /**
   * {@code SHA256:} + base64 of the SHA-256 of the DER SubjectPublicKeyInfo: what {@code DESCRIBE
   * USER} shows as {@code RSA_PUBLIC_KEY_FP} and what a key-pair JWT's {@code iss} ends with.
   */
  public static String fingerprint(PublicKey publicKey) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded());
      return "SHA256:" + Base64.getEncoder().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  private static PrivateKey decrypt(byte[] der, char[] passphrase)
      throws GeneralSecurityException {
    EncryptedPrivateKeyInfo info;
    try {
      info = new EncryptedPrivateKeyInfo(der);
    } catch (IOException e) {
      throw new GeneralSecurityException("malformed EncryptedPrivateKeyInfo");
    }
    // For PBES2 the JDK names the real scheme in the parameters (e.g.
    // PBEWithHmacSHA256AndAES_256); for PBES1 the algorithm name is already usable.
    String algorithm = info.getAlgParameters() != null
        ? info.getAlgParameters().toString() : info.getAlgName();
    if (algorithm == null || algorithm.isBlank() || algorithm.contains(" ")) {
      algorithm = info.getAlgName();
    }
    PBEKeySpec spec = new PBEKeySpec(passphrase);
    try {
      Cipher cipher = Cipher.getInstance(algorithm);
      cipher.init(Cipher.DECRYPT_MODE, SecretKeyFactory.getInstance(algorithm).generateSecret(spec),
          info.getAlgParameters());
      return rsa().generatePrivate(info.getKeySpec(cipher));
    } finally {
      spec.clearPassword();
    }
  }

  private static byte[] der(String pem, String label) {
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    int from = pem.indexOf(begin);
    int to = pem.indexOf(end, from);
    if (from < 0 || to < 0) {
      throw new IllegalArgumentException("PEM block " + label + " not closed");
    }
    String body = pem.substring(from + begin.length(), to).replaceAll("\\s", "");
    byte[] der = Base64.getDecoder().decode(body);
    if (der.length == 0) {
      throw new IllegalArgumentException("empty PEM block");
    }
    return der;
  }

  private static KeyFactory rsa() throws GeneralSecurityException {
    return KeyFactory.getInstance("RSA");
  }

  /** Clears a passphrase copy once it has been used. */
  static void wipe(char @Nullable [] secret) {
    if (secret != null) {
      Arrays.fill(secret, '\0');
    }
  }
}
