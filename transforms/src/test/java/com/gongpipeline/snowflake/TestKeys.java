package com.gongpipeline.snowflake;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

/** RSA key pairs written as PKCS#8 PEM files, and the openssl-written test keys. */
public final class TestKeys {
  private TestKeys() {}

  public static KeyPair rsa2048() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  /** {@code -----BEGIN PRIVATE KEY-----} (openssl genpkey / pkcs8 -topk8 -nocrypt). */
  public static Path writePlainPem(KeyPair pair, Path file) throws Exception {
    Files.writeString(file, pem("PRIVATE KEY", pair.getPrivate().getEncoded()),
        StandardCharsets.US_ASCII);
    return file;
  }

  /** An openssl-written test key (see src/test/resources/snowflake/README.md) copied to dir. */
  public static Path resource(String name, Path dir) throws Exception {
    try (java.io.InputStream in = TestKeys.class.getResourceAsStream("/snowflake/" + name)) {
      Path out = dir.resolve(name);
      Files.write(out, in.readAllBytes());
      return out;
    }
  }

  static String pem(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + label + "-----\n";
  }
}
