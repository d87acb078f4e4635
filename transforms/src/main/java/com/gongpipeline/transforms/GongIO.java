package com.gongpipeline.transforms;

import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.DeadLetterCoder;
import com.gongpipeline.errors.RetryPolicy;
import com.gongpipeline.errors.StageResult;
import com.gongpipeline.gong.GongClientConfig;
import com.gongpipeline.gong.GongClientFactory;
import com.gongpipeline.model.CallIdBatch;
import com.gongpipeline.model.FetchedCall;
import com.gongpipeline.model.ListedWindow;
import com.gongpipeline.model.TimeWindow;
import com.gongpipeline.planner.PlanFetches;
import com.gongpipeline.warehouse.WarehouseRow;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.Impulse;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reading from Gong, in the manner of {@code JdbcIO}/{@code SnowflakeIO}: immutable specs built with
 * {@code withX} methods, {@code toBuilder()}, validation at expansion that names the missing
 * {@code withX}, and a serializable client hook ({@link #readCalls()}{@code .withClientFactory}) that
 * tests use to run the transforms against an in-memory fake instead of an HTTP server. The default
 * client is {@code HttpGongClient}, made from {@code withClientConfig} on the worker.
 *
 * <pre>{@code
 * StageResult<FetchedCall> calls = p.apply("ReadGongCalls", GongIO.readCalls()
 *     .withClientConfig(config).withWindow(window).withListWindow(Duration.ofDays(1)));
 * StageResult<WarehouseRow> directory = p.apply("ReadGongDirectory", GongIO.readDirectory()
 *     .withClientConfig(config).withJobId(jobId));
 * }</pre>
 */
public final class GongIO {
  private GongIO() {}

  /** Calls started in a window, with details and transcripts; see {@link ReadCalls}. */
  public static ReadCalls readCalls() {
    return new ReadCalls(new ReadCalls.Builder());
  }

  /** Users and workspaces as RAW and STG rows; see {@link ReadDirectory}. */
  public static ReadDirectory readDirectory() {
    return new ReadDirectory(new ReadDirectory.Builder());
  }

  /** The client factory a spec names: the factory if given, else HTTP from the config. */
  static GongClientFactory factoryOf(
      String spec, @Nullable GongClientConfig config, @Nullable GongClientFactory factory) {
    if (factory != null) {
      return factory;
    }
    if (config == null) {
      throw new IllegalArgumentException(
          "GongIO." + spec + "() needs withClientConfig(...) or withClientFactory(...)");
    }
    return GongClientFactory.http(config);
  }

  /**
   * Reads every (non-private) call whose start lies in a window, with its details and transcript:
   *
   * <ol>
   *   <li>split the window into sub-windows of {@code listWindow} so listing parallelises;
   *   <li>list call ids per sub-window ({@code GET /v2/calls}, all pages; the page size is the
   *       server's);
   *   <li>re-batch the ids to ≤100 per request ACROSS sub-windows (a sub-window is for listing and
   *       parallelism, not a batch boundary), so requests stay near the minimum: list pages +
   *       2 × ceil(calls / 100); the stream also fetches a partial batch {@link
   *       #withMaxBatchBuffering} after its first id;
   *   <li>fetch {@code /v2/calls/extensive} and {@code /v2/calls/transcript} per batch;
   *   <li>spread the fetched calls across workers.
   * </ol>
   *
   * <p>Listing and fetching happen in ONE stage keyed by the tenant ({@link CallGongFn}), so one
   * worker at a time sends a tenant's requests and the configured requests/s holds for the whole
   * job on any runner and parallelism (Gong's limits are per company).
   *
   * <p>Listing or fetching failures become dead letters (with their failure kind) that name the
   * window or call ids, so a re-run of exactly that range can recover them. Streaming feeds polled
   * windows to {@link #readWindows} instead, which shares the split and the list-and-fetch.
   */
  public static final class ReadCalls extends PTransform<PBegin, StageResult<FetchedCall>> {
    /** Sub-window length when {@link #withListWindow} is not given. */
    public static final Duration DEFAULT_LIST_WINDOW = Duration.ofDays(1);

    private final @Nullable GongClientConfig clientConfig;
    private final @Nullable GongClientFactory clientFactory;
    private final @Nullable TimeWindow window;
    private final Duration listWindow;
    private final int maxCallIdsPerRequest;
    private final RetryPolicy missingDetailsRetry;
    private final Duration maxBatchBuffering;
    private final List<String> extraCallIds;
    private final @Nullable PTransform<PCollection<ListedWindow>, PCollection<DeadLetter>>
        listedWindowsSink;
    private final @Nullable PlanFetches fetchPlan;

    private ReadCalls(Builder b) {
      this.extraCallIds = List.copyOf(b.extraCallIds);
      this.clientConfig = b.clientConfig;
      this.clientFactory = b.clientFactory;
      this.window = b.window;
      this.listWindow = b.listWindow;
      this.maxCallIdsPerRequest = b.maxCallIdsPerRequest; // 0: the client config's
      this.missingDetailsRetry = b.missingDetailsRetry;
      this.maxBatchBuffering = b.maxBatchBuffering;
      this.listedWindowsSink = b.listedWindowsSink;
      this.fetchPlan = b.fetchPlan;
    }

    /**
     * Hands every COMPLETELY listed sub-window (all pages, no failure, no quota pause) with the ids
     * Gong listed in it to {@code sink}, e.g. {@link DetectDeletedCalls}; the sink's dead letters
     * join the read's. Partially listed windows never reach it.
     */
    public ReadCalls withListedWindowsTo(
        PTransform<PCollection<ListedWindow>, PCollection<DeadLetter>> sink) {
      return toBuilder().listedWindowsSink(Objects.requireNonNull(sink, "sink")).build();
    }

    /**
     * Polling ({@code stream}, {@code incremental}): between listing and fetching, keep only the
     * calls {@code plan} says to fetch now (new, not stored, or due on the re-fetch schedule).
     */
    public ReadCalls withFetchPlan(PlanFetches plan) {
      return toBuilder().fetchPlan(Objects.requireNonNull(plan, "plan")).build();
    }

    /** Gong connection and client settings; the HTTP client is built from them on the worker. */
    public ReadCalls withClientConfig(GongClientConfig config) {
      return toBuilder().clientConfig(Objects.requireNonNull(config, "config")).build();
    }

    /** Where clients come from (overrides the HTTP default); tests pass an in-memory fake. */
    public ReadCalls withClientFactory(GongClientFactory factory) {
      return toBuilder().clientFactory(Objects.requireNonNull(factory, "factory")).build();
    }

    /** The calls to read: those that started in {@code [from, to)}. */
    public ReadCalls withWindow(TimeWindow window) {
      return toBuilder().window(Objects.requireNonNull(window, "window")).build();
    }

    /** Length of the sub-windows listed in parallel (default {@link #DEFAULT_LIST_WINDOW}). */
    public ReadCalls withListWindow(Duration listWindow) {
      if (listWindow == null || listWindow.isZero() || listWindow.isNegative()) {
        throw new IllegalArgumentException("listWindow must be positive: " + listWindow);
      }
      return toBuilder().listWindow(listWindow).build();
    }

    /** Call ids per fetch batch (default: the client config's, else 100). */
    public ReadCalls withMaxCallIdsPerRequest(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxCallIdsPerRequest must be >= 1, got " + max);
      }
      return toBuilder().maxCallIdsPerRequest(max).build();
    }

    /**
     * Attempts, back-off and sleeper for calls that were listed but are not yet in {@code
     * /v2/calls/extensive} (default {@link FetchCallsFn#DEFAULT_MISSING_DETAILS_RETRY}: 3 attempts,
     * about 1 s then 1.5 s apart).
     */
    public ReadCalls withMissingDetailsRetry(RetryPolicy retry) {
      return toBuilder().missingDetailsRetry(Objects.requireNonNull(retry, "retry")).build();
    }

    /**
     * On unbounded input (the stream), how long a partial batch of call ids waits for more before
     * it is fetched (default 5 s); bounded input always fills batches to the end.
     */
    public ReadCalls withMaxBatchBuffering(Duration buffering) {
      if (buffering == null || buffering.isZero() || buffering.isNegative()) {
        throw new IllegalArgumentException("maxBatchBuffering must be positive: " + buffering);
      }
      return toBuilder().maxBatchBuffering(buffering).build();
    }

    /**
     * Call ids fetched in addition to the listed ones (an incremental run's retry queue and {@code
     * --retryCallIds}), in the same batches.
     */
    public ReadCalls withExtraCallIds(List<String> callIds) {
      Builder b = toBuilder();
      b.extraCallIds = List.copyOf(callIds);
      return b.build();
    }

    public Builder toBuilder() {
      Builder b = new Builder();
      b.extraCallIds = extraCallIds;
      b.clientConfig = clientConfig;
      b.clientFactory = clientFactory;
      b.window = window;
      b.listWindow = listWindow;
      b.maxCallIdsPerRequest = maxCallIdsPerRequest;
      b.missingDetailsRetry = missingDetailsRetry;
      b.maxBatchBuffering = maxBatchBuffering;
      b.listedWindowsSink = listedWindowsSink;
      b.fetchPlan = fetchPlan;
      return b;
    }

    @Override
    public StageResult<FetchedCall> expand(PBegin begin) {
      if (window == null) {
        throw new IllegalArgumentException("GongIO.readCalls() needs withWindow(...)");
      }
      ListAndFetchCalls listAndFetch = listAndFetch();
      PCollection<TimeWindow> windows =
          begin.apply("Window", Create.of(window).withCoder(SerializableCoder.of(TimeWindow.class)));
      // Each sub-window its own bundle: the keyed stage's outputs of one bundle go downstream
      // together, so on the DirectRunner one bundle of every sub-window would hold back the first
      // fetched calls (and the model's work on them) until the last was fetched.
      PCollection<TimeWindow> spread = splitIntoSubWindows(windows)
          .apply("SpreadSubWindows", Reshuffle.viaRandomKey())
          .setCoder(SerializableCoder.of(TimeWindow.class));
      return spread.apply("ListAndFetch", listAndFetch);
    }

    /**
     * The streaming read: each polled window listed and fetched ({@code ListAndFetch}, the name
     * the stream has always had: a Flink savepoint maps state by name), split into sub-windows
     * inside the keyed stage, which lists all of a poll's sub-windows in one go so the poll's ids
     * fill one details and one transcript batch. (Split upstream, as before, a loaded runner could
     * hand a poll's sub-windows over more than the batch buffering apart: several partial
     * batches per poll.)
     */
    public StageResult<FetchedCall> readWindows(PCollection<TimeWindow> windows) {
      return windows.apply("ListAndFetch", listAndFetch().splittingInside(listWindow));
    }

    /**
     * Fetches batches of ids listed earlier (the stream's queued retries) with this read's client
     * and retry policy: details and transcript per id, failures as {@code fetch_calls} dead letters.
     */
    public StageResult<FetchedCall> fetchCallIds(PCollection<CallIdBatch> batches) {
      PCollectionTuple out = batches.apply("FetchQueuedCalls",
          ParDo.of(new FetchCallsFn(factoryOf("readCalls", clientConfig, clientFactory),
                  missingDetailsRetry, ListAndFetchCalls.FETCHED_OUT,
                  ListAndFetchCalls.FETCH_DEADLETTER_OUT))
              .withOutputTags(ListAndFetchCalls.FETCHED_OUT,
                  TupleTagList.of(ListAndFetchCalls.FETCH_DEADLETTER_OUT)));
      return StageResult.of(
          out.get(ListAndFetchCalls.FETCHED_OUT).setCoder(SerializableCoder.of(FetchedCall.class)),
          out.get(ListAndFetchCalls.FETCH_DEADLETTER_OUT).setCoder(DeadLetterCoder.of()));
    }

    /** The one sub-window split, shared by backfill and stream: step {@code SplitIntoSubWindows}. */
    public PCollection<TimeWindow> splitIntoSubWindows(PCollection<TimeWindow> windows) {
      Duration size = listWindow;
      return windows
          .apply(
              "SplitIntoSubWindows",
              FlatMapElements.into(TypeDescriptor.of(TimeWindow.class))
                  .via((TimeWindow w) -> w.split(size)))
          .setCoder(SerializableCoder.of(TimeWindow.class));
    }

    /** Windows in, fetched calls out: list, re-batch, fetch, spread the calls (validates the client). */
    public ListAndFetchCalls listAndFetch() {
      int maxIds = maxCallIdsPerRequest > 0 ? maxCallIdsPerRequest
          : clientConfig != null ? clientConfig.maxCallIdsPerRequest()
          : GongClientConfig.DEFAULT_MAX_CALL_IDS_PER_REQUEST;
      return new ListAndFetchCalls(factoryOf("readCalls", clientConfig, clientFactory), maxIds,
          missingDetailsRetry, maxBatchBuffering, extraCallIds, listedWindowsSink, fetchPlan);
    }

    /** Mutable builder behind {@link #toBuilder()}; every {@code withX} goes through it. */
    public static final class Builder {
      private @Nullable GongClientConfig clientConfig;
      private @Nullable GongClientFactory clientFactory;
      private @Nullable TimeWindow window;
      private Duration listWindow = DEFAULT_LIST_WINDOW;
      private int maxCallIdsPerRequest;
      private RetryPolicy missingDetailsRetry = FetchCallsFn.DEFAULT_MISSING_DETAILS_RETRY;
      private Duration maxBatchBuffering = ListAndFetchCalls.DEFAULT_MAX_BUFFERING;
      private List<String> extraCallIds = List.of();
      private @Nullable PTransform<PCollection<ListedWindow>, PCollection<DeadLetter>>
          listedWindowsSink;

      private @Nullable PlanFetches fetchPlan;

      private Builder() {}

      public Builder fetchPlan(@Nullable PlanFetches p) {
        this.fetchPlan = p;
        return this;
      }

      public Builder listedWindowsSink(
          @Nullable PTransform<PCollection<ListedWindow>, PCollection<DeadLetter>> sink) {
        this.listedWindowsSink = sink;
        return this;
      }

      public Builder clientConfig(@Nullable GongClientConfig c) {
        this.clientConfig = c;
        return this;
      }

      public Builder clientFactory(@Nullable GongClientFactory f) {
        this.clientFactory = f;
        return this;
      }

      public Builder window(@Nullable TimeWindow w) {
        this.window = w;
        return this;
      }

      public Builder listWindow(Duration d) {
        this.listWindow = Objects.requireNonNull(d, "listWindow");
        return this;
      }

      public Builder maxCallIdsPerRequest(int max) {
        this.maxCallIdsPerRequest = max;
        return this;
      }

      public Builder missingDetailsRetry(RetryPolicy r) {
        this.missingDetailsRetry = Objects.requireNonNull(r, "missingDetailsRetry");
        return this;
      }

      public Builder maxBatchBuffering(Duration d) {
        this.maxBatchBuffering = Objects.requireNonNull(d, "maxBatchBuffering");
        return this;
      }

      public ReadCalls build() {
        return new ReadCalls(this);
      }
    }
  }

  /**
   * Reads the tenant's directory, users ({@code GET /v2/users}, all pages) and workspaces ({@code
   * GET /v2/workspaces}), into RAW and STG rows. Gong has no "updated since" filter for users, so
   * every run reads them all; it is a handful of pages. The read is keyed by the tenant, and {@link
   * #withWaitOn} (given the fetched calls of a bounded run) holds it until the calls are fetched,
   * so it never sends requests alongside the {@code CallGong} stage.
   */
  public static final class ReadDirectory extends PTransform<PBegin, StageResult<WarehouseRow>> {
    /** RAW and STG rows of users and workspaces. */
    public static final TupleTag<WarehouseRow> DIRECTORY_OUT = new TupleTag<>() {};
    /** Endpoints or records that could not be read. */
    public static final TupleTag<DeadLetter> DIRECTORY_DEADLETTER_OUT = new TupleTag<>() {};

    private final @Nullable GongClientConfig clientConfig;
    private final @Nullable GongClientFactory clientFactory;
    private final @Nullable String jobId;
    private final @Nullable PCollection<?> waitOn;

    private ReadDirectory(Builder b) {
      this.clientConfig = b.clientConfig;
      this.clientFactory = b.clientFactory;
      this.jobId = b.jobId;
      this.waitOn = b.waitOn;
    }

    /**
     * Read the directory only after {@code signal} is complete (Beam's {@code Wait.on}), e.g. the
     * fetched calls of a bounded run, so the tenant's requests stay in one stage at a time. An
     * unbounded signal (the stream) is ignored: its global window never closes.
     */
    public ReadDirectory withWaitOn(PCollection<?> signal) {
      Builder b = toBuilder();
      b.waitOn = Objects.requireNonNull(signal, "signal");
      return b.build();
    }

    public ReadDirectory withClientConfig(GongClientConfig config) {
      return toBuilder().clientConfig(Objects.requireNonNull(config, "config")).build();
    }

    public ReadDirectory withClientFactory(GongClientFactory factory) {
      return toBuilder().clientFactory(Objects.requireNonNull(factory, "factory")).build();
    }

    /** The job id stamped on every row. */
    public ReadDirectory withJobId(String jobId) {
      return toBuilder().jobId(Objects.requireNonNull(jobId, "jobId")).build();
    }

    public Builder toBuilder() {
      Builder b = new Builder().clientConfig(clientConfig).clientFactory(clientFactory).jobId(jobId);
      b.waitOn = waitOn;
      return b;
    }

    @Override
    public StageResult<WarehouseRow> expand(PBegin begin) {
      GongClientFactory factory = factoryOf("readDirectory", clientConfig, clientFactory);
      if (jobId == null) {
        throw new IllegalArgumentException("GongIO.readDirectory() needs withJobId(...)");
      }
      PCollection<byte[]> start = begin.apply("Start", Impulse.create());
      if (waitOn != null && waitOn.isBounded() == PCollection.IsBounded.BOUNDED) {
        start = start.apply("WaitForCalls", Wait.on(waitOn));
      }
      PCollectionTuple tuple =
          start
              .apply("KeyByTenant", WithKeys.of(factory.tenantKey()))
              .setCoder(KvCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of()))
              .apply(
                  "ListUsersAndWorkspaces",
                  ParDo.of(new ReadDirectoryFn(factory, jobId, DIRECTORY_OUT,
                          DIRECTORY_DEADLETTER_OUT))
                      .withOutputTags(DIRECTORY_OUT, TupleTagList.of(DIRECTORY_DEADLETTER_OUT)));
      StageResult<WarehouseRow> result =
          StageResult.of(tuple, DIRECTORY_OUT, DIRECTORY_DEADLETTER_OUT);
      result.output().setCoder(SerializableCoder.of(WarehouseRow.class));
      return result;
    }

    /** Mutable builder behind {@link #toBuilder()}. */
    public static final class Builder {
      private @Nullable GongClientConfig clientConfig;
      private @Nullable GongClientFactory clientFactory;
      private @Nullable String jobId;
      private @Nullable PCollection<?> waitOn;

      private Builder() {}

      public Builder clientConfig(@Nullable GongClientConfig c) {
        this.clientConfig = c;
        return this;
      }

      public Builder clientFactory(@Nullable GongClientFactory f) {
        this.clientFactory = f;
        return this;
      }

      public Builder jobId(@Nullable String id) {
        this.jobId = id;
        return this;
      }

      public ReadDirectory build() {
        return new ReadDirectory(this);
      }
    }
  }
}
