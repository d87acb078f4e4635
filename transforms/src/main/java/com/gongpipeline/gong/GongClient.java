package com.gongpipeline.gong;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Gong REST API v2, as the pipeline uses it. Implementations follow cursors until the cursor is
 * absent, treat the "No … found corresponding to the provided filters" 404 as an empty result,
 * retry 429 (honouring Retry-After), 5xx, timeouts and resets, restart a window whose cursor has
 * expired, and throw {@link GongApiException} (a {@code PipelineException}, unchecked, with its
 * {@code FailureKind}) for everything else. Fakes may throw any {@code PipelineException}.
 *
 * <p>Records are handed over as Jackson trees exactly as Gong sent them (unknown fields kept), so
 * the RAW layer stores them verbatim; typed parsing happens downstream.
 */
public interface GongClient extends AutoCloseable {

  /**
   * {@code GET /v2/calls} over {@code [from, to)}; calls each page's {@code calls[]} entries
   * ({@code CallBasicData}) in order. Private calls are skipped unless the client was configured to
   * keep them. A restart after cursor expiry never hands the same call id over twice.
   */
  void listCalls(Instant from, Instant to, Consumer<List<JsonNode>> pageConsumer);

  /**
   * Gong's own count of the calls started in {@code [from, to)}: {@code records.totalRecords} of
   * the first {@code GET /v2/calls} page (one request, plus its retries), or empty when the server
   * gives none. An estimate for sizing work, never a check on what listing returns: Gong counts
   * calls it is still analysing (and private ones). Fakes without a count return empty.
   */
  default OptionalLong estimateCalls(Instant from, Instant to) {
    return OptionalLong.empty();
  }

  /**
   * {@code POST /v2/calls/extensive} for at most 100 call ids, with parties, Extended CRM context
   * (Now and TimeOfCall), content (topics, brief, keyPoints, trackers) and interaction speakers.
   * Returns {@code CallData} objects ({@code metaData.id} is the call id), all pages joined.
   */
  List<JsonNode> callsExtensive(List<String> callIds);

  /**
   * {@code POST /v2/calls/transcript} for at most 100 call ids; returns the
   * {@code callTranscripts[]} entries ({@code {callId, transcript:[…]}}), all pages joined.
   */
  List<JsonNode> transcripts(List<String> callIds);

  /** {@code GET /v2/users}, all pages; calls the consumer once per page with its users. */
  void listUsers(Consumer<List<JsonNode>> pageConsumer);

  /** {@code GET /v2/workspaces} (not paginated). */
  List<JsonNode> workspaces();

  @Override
  void close();
}
