package com.gongpipeline.snowflake.sim;

import com.gongpipeline.enrich.SentimentScorer;
import com.gongpipeline.enrich.VaderSentimentScorer;
import java.security.PublicKey;
import java.util.Objects;
import java.util.UUID;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Everything that shapes one {@link SnowflakeStandIn}. Immutable; build it with {@link #builder()}.
 *
 * <p>Credentials: a login must name {@link #user}. A password login must match {@link #password},
 * a {@code PROGRAMMATIC_ACCESS_TOKEN}/{@code OAUTH} login must match {@link #token}, and a {@code
 * SNOWFLAKE_JWT} login must carry an RS256 JWT with {@code sub = ACCOUNT.USER} and {@code iss =
 * ACCOUNT.USER.SHA256:fingerprint}, signed by {@link #publicKey}. An authenticator whose secret is
 * not configured (null) is refused; a JWT is only checked for claims when no key is configured.
 *
 * @param port TCP port on 127.0.0.1; 0 picks a free one
 * @param account account identifier the JDBC URL names (case-insensitive)
 * @param user login name (case-insensitive, as in Snowflake)
 * @param password accepted password, or null to refuse password logins
 * @param token accepted PAT / OAuth access token, or null to refuse token logins
 * @param publicKey RSA public key that JWT logins must be signed with, or null (claims only)
 * @param jwtAllowed whether SNOWFLAKE_JWT logins are accepted at all
 * @param duckDbUrl the DuckDB database the sessions share ({@code jdbc:duckdb::memory:NAME} or a
 *     file); one per stand-in
 * @param database what the stand-in reports as the session database
 * @param sentiment scorer behind {@code SNOWFLAKE.CORTEX.SENTIMENT}
 * @param embedder function behind {@code AI_EMBED}
 */
public record StandInConfig(
    int port,
    String account,
    String user,
    @Nullable String password,
    @Nullable String token,
    @Nullable PublicKey publicKey,
    boolean jwtAllowed,
    String duckDbUrl,
    String database,
    SentimentScorer sentiment,
    CortexStandInFunctions.StandInEmbedder embedder) {

  public StandInConfig {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(duckDbUrl, "duckDbUrl");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(sentiment, "sentiment");
    Objects.requireNonNull(embedder, "embedder");
    if (!duckDbUrl.startsWith("jdbc:duckdb:") || duckDbUrl.equals("jdbc:duckdb:")) {
      throw new IllegalArgumentException(
          "duckDbUrl must be jdbc:duckdb::memory:NAME or jdbc:duckdb:/path (a shared database)");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String toString() {
    // never the secrets
    return "StandInConfig[port=" + port + ", account=" + account + ", user=" + user
        + ", password=" + (password == null ? "none" : "***") + ", token="
        + (token == null ? "none" : "***") + ", publicKey=" + (publicKey != null)
        + ", duckDbUrl=" + duckDbUrl + "]";
  }

  /** Defaults: free port, account TEST, user TEST_USER, no secrets, private in-memory DuckDB. */
  public static final class Builder {
    private int port;
    private String account = "TEST";
    private String user = "TEST_USER";
    private @Nullable String password;
    private @Nullable String token;
    private @Nullable PublicKey publicKey;
    private boolean jwtAllowed = true;
    private String duckDbUrl = "jdbc:duckdb::memory:sfstandin_" + UUID.randomUUID().toString()
        .replace("-", "");
    private String database = "GONG";
    private SentimentScorer sentiment = new VaderSentimentScorer();
    private CortexStandInFunctions.StandInEmbedder embedder =
        CortexStandInFunctions::hashingEmbedding;

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder account(String account) {
      this.account = account;
      return this;
    }

    public Builder user(String user) {
      this.user = user;
      return this;
    }

    public Builder password(@Nullable String password) {
      this.password = password;
      return this;
    }

    public Builder token(@Nullable String token) {
      this.token = token;
      return this;
    }

    public Builder publicKey(@Nullable PublicKey publicKey) {
      this.publicKey = publicKey;
      return this;
    }

    public Builder jwtAllowed(boolean jwtAllowed) {
      this.jwtAllowed = jwtAllowed;
      return this;
    }

    public Builder duckDbUrl(String duckDbUrl) {
      this.duckDbUrl = duckDbUrl;
      return this;
    }

    public Builder database(String database) {
      this.database = database;
      return this;
    }

    public Builder sentiment(SentimentScorer sentiment) {
      this.sentiment = sentiment;
      return this;
    }

    public Builder embedder(CortexStandInFunctions.StandInEmbedder embedder) {
      this.embedder = embedder;
      return this;
    }

    public StandInConfig build() {
      return new StandInConfig(port, account, user, password, token, publicKey, jwtAllowed,
          duckDbUrl, database, sentiment, embedder);
    }
  }
}
