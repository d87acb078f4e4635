/**
 * Snowflake credentials shared by the Cortex REST client and the Snowflake warehouse: {@link
 * com.gongpipeline.snowflake.SnowflakeCredentials} (a serializable reference to the secret) and
 * {@link com.gongpipeline.snowflake.SnowflakeAuth} (the resolved token, key or PAT), with key-pair
 * JWTs made by the JDK alone.
 */
package com.gongpipeline.snowflake;
