/**
 * A local Snowflake stand-in for tests and demos: {@link
 * com.gongpipeline.snowflake.sim.SnowflakeStandIn} serves the Snowflake JDBC driver's REST protocol
 * (driver 3.23.1, plain HTTP with {@code ssl=off}) and runs the statements on DuckDB.
 *
 * <h2>What the driver gets</h2>
 *
 * <ul>
 *   <li>Logins: password (also a PAT in the password field), {@code PROGRAMMATIC_ACCESS_TOKEN} and
 *       {@code OAUTH} tokens, {@code SNOWFLAKE_JWT} key pair (RS256 signature, {@code sub}, {@code
 *       iss} fingerprint and {@code exp} checked). Wrong secrets get Snowflake's codes 390100,
 *       390303, 390144; messages never contain the secret.
 *   <li>Results as JSON rowsets ({@code JDBC_QUERY_RESULT_FORMAT=JSON} is a session parameter of
 *       every login), types as in {@code SnowflakeRowset}; DML as count rows ({@code number of rows
 *       inserted/updated/deleted}), so {@code executeUpdate}, {@code executeBatch} and {@code
 *       executeQuery} of a MERGE behave as on Snowflake ({@code execute} of DML returns false).
 *   <li>Array binding of INSERT batches (one request per {@code executeBatch}; the stand-in sets
 *       {@code CLIENT_STAGE_ARRAY_BINDING_THRESHOLD=0}, so the driver never uploads binds to a
 *       stage). Other DML batches run row by row, as the driver sends them.
 *   <li>Session renew ({@code 390112} then {@code /session/token-request}), heartbeat, close,
 *       abort, telemetry; faults via {@link com.gongpipeline.snowflake.sim.StandInFaults}.
 * </ul>
 *
 * <h2>Cortex statement shapes</h2>
 *
 * <p>{@code SNOWFLAKE.CORTEX.SENTIMENT(text)} and {@code AI_EMBED(model, text)} (also {@code
 * SNOWFLAKE.CORTEX.EMBED_TEXT_768/1024}) are scalar functions on DuckDB, so they work in any
 * position a scalar fits: {@code SELECT v.$1, SNOWFLAKE.CORTEX.SENTIMENT(v.$2) FROM VALUES (?, ?),
 * (?, ?) AS v}, inside a MERGE's {@code USING} subquery, {@code INSERT ... SELECT}, {@code
 * AI_EMBED(...)::ARRAY} (JSON text), {@code VECTOR_COSINE_SIMILARITY(col, AI_EMBED(...))}. A
 * literal model name gives a typed {@code VECTOR(FLOAT, n)}; a bound or computed model name gives
 * an untyped list, which compares only after a cast. Values are offline stand-ins (VADER, hashing
 * embedder), never Cortex's.
 *
 * <h2>Known differences from Snowflake</h2>
 *
 * <ul>
 *   <li>Timestamps keep microseconds (DuckDB), not nanoseconds.
 *   <li>Temporary tables are real tables until their session closes (other sessions see them).
 *   <li>Transactions are DuckDB's (optimistic; a write-write conflict fails the second writer).
 *   <li>No stages, {@code PUT}/{@code GET}, {@code COPY INTO}, Arrow results, multi-statement
 *       requests, async queries, result chunks (every result is one inline rowset).
 *   <li>SQL outside the shapes listed in {@link com.gongpipeline.snowflake.sim.SnowflakeToDuckDb}
 *       runs only if DuckDB accepts it as written.
 * </ul>
 */
package com.gongpipeline.snowflake.sim;
