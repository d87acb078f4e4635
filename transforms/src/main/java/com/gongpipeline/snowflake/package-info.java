/**
 * Snowflake credentials shared by the Cortex REST client and the Snowflake warehouse: {@link
 * com.gongpipeline.snowflake.SnowflakeCredentials} (a serializable reference to the secret) and
 * {@link com.gongpipeline.snowflake.SnowflakeAuth} (the resolved token, key or PAT), with key-pair
 * JWTs made by the JDK alone, and {@link com.gongpipeline.snowflake.SnowflakeConnections} (JDBC
 * properties from them). The dependency runs one way: {@code warehouse} uses this package, this
 * package knows nothing of the warehouse (SnowflakeIO's RAW landing lives in {@code warehouse}).
 */
package com.gongpipeline.snowflake;
