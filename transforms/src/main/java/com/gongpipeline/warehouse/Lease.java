package com.gongpipeline.warehouse;

import java.io.Serializable;
import java.time.Instant;

/**
 * A held lease (see {@link Warehouse#tryAcquireLease}): its name, the job that owns it, and when
 * it lapses unless renewed (microsecond precision, as stored).
 */
public record Lease(String name, String owner, Instant expiresAt) implements Serializable {}
