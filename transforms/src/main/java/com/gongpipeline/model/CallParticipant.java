package com.gongpipeline.model;

import java.io.Serializable;
import java.time.Instant;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One party of a call as Gong lists it (a party without id is keyed by its position, {@code
 * idx-<n>}).
 *
 * @param methodsJson how the party joined, as JSON, or null
 * @param crmContextJson the party's CRM context, as JSON, or null
 */
public record CallParticipant(
    String callId,
    String participantId,
    @Nullable String speakerId,
    @Nullable String userId,
    @Nullable String name,
    @Nullable String title,
    @Nullable String emailAddress,
    @Nullable String emailDomain,
    @Nullable String phoneNumber,
    String affiliation,
    @Nullable String methodsJson,
    @Nullable String crmContextJson,
    String jobId,
    Instant loadedAt)
    implements Serializable {}
